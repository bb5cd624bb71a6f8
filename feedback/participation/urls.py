from django.urls import path

from . import take, views
from .members import views as member_views
from .points import views as point_views

app_name = "participation"

urlpatterns = [
    path("needs/", views.need_list, name="needs"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/submitted/", views.need_submitted, name="need_submitted"),
    path("needs/track/<str:token>/", views.need_track, name="need_track"),
    path("needs/<int:pk>/take/", take.take, name="take_need"),
    path("me/", member_views.me, name="me"),
    path("me/signin/", member_views.signin, name="signin"),
    path("me/signin/verify/", member_views.signin_verify, name="signin_verify"),
    path("me/register/", member_views.register, name="register"),
    path("me/signout/", member_views.signout, name="signout"),
    path("me/hours/", member_views.my_hours, name="my_hours"),
    path("me/points/", member_views.my_points, name="my_points"),
    path("points/", point_views.catalogue, name="points"),
    path("points/<int:pk>/redeem/", point_views.redeem, name="redeem"),
    path("wishes/", views.wish_list, name="wishes"),
    path("wishes/new/", views.wish_new, name="wish_new"),
    path("wishes/submitted/", views.wish_submitted, name="wish_submitted"),
    path("wishes/track/<str:token>/", views.wish_track, name="wish_track"),
    path("wishes/<int:pk>/", views.wish_detail, name="wish_detail"),
    path("resources/", views.resource_list, name="resources"),
    path("projects/", views.project_list, name="projects"),
]
