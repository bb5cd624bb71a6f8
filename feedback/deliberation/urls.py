from django.urls import path

from . import views

app_name = "deliberation"

urlpatterns = [
    path("", views.topic_list, name="list"),
    path("new/", views.propose, name="propose"),
    path("<str:code>/", views.topic_detail, name="detail"),
    path("<str:code>/support/", views.support, name="support"),
    path("<str:code>/object/", views.object_to_result, name="object"),
    path("<str:code>/rate/", views.rate, name="rate"),
]
