from django.urls import path

from . import views

app_name = "participation"

urlpatterns = [
    path("needs/", views.need_list, name="needs"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/submitted/", views.need_submitted, name="need_submitted"),
    path("needs/track/<str:token>/", views.need_track, name="need_track"),
    path("wishes/", views.wish_list, name="wishes"),
    path("wishes/new/", views.wish_new, name="wish_new"),
    path("wishes/submitted/", views.wish_submitted, name="wish_submitted"),
    path("wishes/track/<str:token>/", views.wish_track, name="wish_track"),
    path("wishes/<int:pk>/", views.wish_detail, name="wish_detail"),
    path("resources/", views.resource_list, name="resources"),
    path("projects/", views.project_list, name="projects"),
]
