from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/submitted/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("track/<str:token>/", views.track_detail, name="track_token"),
    path("track/<str:token>/rate/", views.rate, name="rate"),
    path("public/", views.public_list, name="public"),
]
