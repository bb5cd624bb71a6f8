from django.urls import path

from .complaints import views
from .evaluations import views as evaluation_views
from .notifications import views as notification_views

app_name = "feedback"

urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/similar/", views.report_similar, name="report_similar"),
    path("report/submitted/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("track/<str:token>/", views.track_detail, name="track_token"),
    path("track/<str:token>/rate/", views.rate, name="rate"),
    path("mine/", notification_views.mine, name="mine"),
    path("mine/verify/", notification_views.mine_verify, name="mine_verify"),
    path("public/", views.public_list, name="public"),
    path("public/photos/<int:pk>/", views.public_photo, name="public_photo"),
    path("public/<str:code>/", views.public_detail, name="public_detail"),
    path("public/<str:code>/metoo/", views.public_follow, name="public_follow"),
    path("evaluate/", evaluation_views.evaluate, name="evaluate"),
    path("evaluate/thanks/", evaluation_views.evaluate_thanks, name="evaluate_thanks"),
    path("ranking/", evaluation_views.ranking, name="ranking"),
    path("companies/<int:pk>/", evaluation_views.company, name="company"),
    path("communities/<str:slug>/", evaluation_views.community, name="community"),
]
