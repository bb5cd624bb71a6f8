import time

import pytest
from django.contrib.auth.models import Permission
from django_otp.oath import TOTP

PASSWORD = "correct-horse-battery-77"


def totp_code(device, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for ``device`` now (or ``steps_ahead`` × 30 s later).

    django-otp refuses a code whose time step was already used, so a second sign-in within
    the same 30 s uses the next step, which it accepts (tolerance 1) as a phone would give.
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


@pytest.fixture
def make_staff(db, django_user_model):
    access_admin = Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")

    def make(username="editor", *, personal_data=False, superuser=False, email=""):
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, email=email or f"{username}@street.example.cn"
        )
        user.user_permissions.add(access_admin)
        if personal_data:
            user.user_permissions.add(
                Permission.objects.get(codename="view_personal_data", content_type__app_label="feedback")
            )
        if superuser:
            user.is_superuser = user.is_staff = True
            user.save()
        return user

    return make
