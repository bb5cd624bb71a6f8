from django.urls import path

from . import views

app_name = "portal_accounts"

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("reset/<int:user_id>/", views.reset, name="reset"),
]
