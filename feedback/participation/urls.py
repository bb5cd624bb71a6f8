from django.urls import path

from . import views

app_name = "participation"

urlpatterns = [
    path("needs/", views.need_list, name="needs"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/submitted/", views.need_submitted, name="need_submitted"),
    path("needs/track/<str:token>/", views.need_track, name="need_track"),
]
