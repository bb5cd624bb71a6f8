from django.urls import path

from . import views

app_name = "page_feedback"
urlpatterns = [
    path("", views.answer, name="answer"),
    path("token/", views.token, name="token"),
]
