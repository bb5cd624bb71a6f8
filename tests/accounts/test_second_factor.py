"""The TOTP second factor (portal/accounts/otp.py, middleware.py, views.py)."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from .conftest import sign_in, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor]

SETUP = "/admin/2fa/setup/"
VERIFY = "/admin/2fa/verify/"
CODES = "/admin/2fa/recovery-codes/"


def enrol(client, user) -> list[str]:
    """Sign in and enrol like a newcomer; returns the recovery codes shown."""
    assert sign_in(client, user.username).status_code == 302
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": totp_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response.url.startswith(CODES)
    page = client.get(response.url).content.decode()
    return re.findall(r"<code>([a-z2-7]{8})</code>", page)


def a_moment_later(user):
    """After a wrong code django-otp waits 1 s before the next (doubling each time); a person
    takes that long to look again, so move the failure back instead of sleeping."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5)
    )


def test_personal_data_staff_are_sent_to_enrolment_after_their_password(client, make_staff):
    make_staff("moderator", personal_data=True)
    sign_in(client, "moderator")
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url == SETUP + "?next=%2Fadmin%2Fpages%2F"
    page = client.get(response.url).content.decode()
    assert "开启双重验证" in page and "<svg" in page  # the QR code, drawn inline
    secret = re.search(r"data-otp-secret>([A-Z2-7 ]+)<", page).group(1)
    assert len(secret.replace(" ", "")) == 32  # also typed by hand: 160-bit secret in base32


def test_the_second_factor_pages_get_the_admin_icons_and_translations(client, make_staff):
    make_staff("moderator", personal_data=True)
    sign_in(client, "moderator")
    # Wagtail's pages fetch the sprite and insert it into themselves: a redirect there would
    # paste the enrolment page into itself.
    sprite = client.get("/admin/sprite/")
    assert sprite.status_code == 200 and b"<svg" in sprite.content and b"otp-secret" not in sprite.content
    assert client.get("/admin/jsi18n/").status_code == 200


def test_superusers_must_use_a_second_factor(client, make_staff):
    make_staff("boss", superuser=True)
    sign_in(client, "boss")
    assert client.get("/admin/").url.startswith(SETUP)
    assert client.get("/django-admin/").url.startswith(SETUP)


def test_a_plain_editor_needs_no_second_factor(client, make_staff):
    make_staff("editor")
    sign_in(client, "editor")
    assert client.get("/admin/").status_code == 200


def test_enrolment_with_a_wrong_code_keeps_the_same_secret_and_says_why(client, make_staff):
    user = make_staff("moderator", personal_data=True)
    sign_in(client, "moderator")
    first = client.get(SETUP).content.decode()
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    secret = re.search(r"data-otp-secret>([A-Z2-7 ]+)<", first).group(1)
    assert secret in response.content.decode()
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert client.get("/admin/").status_code == 302


def test_enrolment_shows_ten_recovery_codes_once_then_opens_the_admin(client, make_staff):
    user = make_staff("moderator", personal_data=True)
    codes = enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    again = client.get(CODES).content.decode()
    assert not any(code in again for code in codes)
    assert "还有 <strong>10</strong> 个" in again
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(
        action="portal_accounts.otp_enrolled", object_id=str(user.pk)
    ).exists()


def test_account_page_offers_enrolment_then_the_recovery_codes(client, make_staff):
    user = make_staff("editor")
    sign_in(client, "editor")
    assert SETUP in client.get("/admin/account/").content.decode()
    enrol(client, user)
    page = client.get("/admin/account/").content.decode()
    assert CODES in page and "还有 10 个未使用" in page
    # Once bound, the editor's new sessions need the code too.
    later = Client()
    sign_in(later, "editor")
    assert later.get("/admin/").url.startswith(VERIFY)


def test_each_new_session_must_verify_with_the_app(client, make_staff):
    user = make_staff("moderator", personal_data=True)
    enrol(client, user)
    phone = Client()
    sign_in(phone, "moderator")
    response = phone.get("/admin/reports/")
    assert response.url == VERIFY + "?next=%2Fadmin%2Freports%2F"
    assert "双重验证" in phone.get(response.url).content.decode()
    # Enrolment is closed to a session that has not verified: a stolen password cannot
    # swap in the thief's phone.
    assert phone.get(SETUP).url.startswith(VERIFY)
    wrong = phone.post(VERIFY, {"code": "123456", "next": "/admin/reports/"})
    assert "验证码或恢复码不正确" in wrong.content.decode()
    a_moment_later(user)
    device = TOTPDevice.objects.get(user=user)
    ok = phone.post(VERIFY, {"code": totp_code(device, steps_ahead=1), "next": "/admin/reports/"})
    assert ok.status_code == 302 and ok.url == "/admin/reports/"
    assert phone.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(make_staff):
    user = make_staff("moderator", personal_data=True)
    codes = enrol(Client(), user)
    first = Client()
    sign_in(first, "moderator")
    response = first.post(VERIFY, {"code": codes[0].upper(), "next": "/admin/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "还剩 9 个" in response.content.decode()
    second = Client()
    sign_in(second, "moderator")
    reused = second.post(VERIFY, {"code": codes[0]})
    assert reused.status_code == 200 and "已使用过" in reused.content.decode()
    assert second.get("/admin/").status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_new_recovery_codes_replace_the_old_ones(client, make_staff):
    user = make_staff("moderator", personal_data=True)
    old = enrol(client, user)
    response = client.post(CODES, {"next": "/admin/"}, follow=True)
    new = re.findall(r"<code>([a-z2-7]{8})</code>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new)


def test_wrong_codes_are_slowed_down(client, make_staff):
    user = make_staff("moderator", personal_data=True)
    enrol(Client(), user)
    sign_in(client, "moderator")
    client.post(VERIFY, {"code": "000001"})
    client.post(VERIFY, {"code": "000002"})
    device = TOTPDevice.objects.get(user=user)
    response = client.post(VERIFY, {"code": totp_code(device, steps_ahead=1)})
    assert "错误次数过多，请等待约" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_administrator_resets_a_lost_phone_with_the_command(make_staff):
    user = make_staff("moderator", personal_data=True)
    enrol(Client(), user)
    make_staff("boss", superuser=True)
    out = io.StringIO()
    call_command("reset_staff_otp", "moderator", "--reason", "手机丢失", "--by", "boss", stdout=out)
    assert "已重置 moderator 的双重验证" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    entry = ModelLogEntry.objects.get(action="portal_accounts.otp_reset", object_id=str(user.pk))
    assert entry.user.username == "boss" and entry.data["reason"] == "手机丢失"
    client = Client()
    sign_in(client, "moderator")
    assert client.get("/admin/").url.startswith(SETUP)


def test_reset_command_refuses_an_unknown_account(db):
    with pytest.raises(CommandError, match="没有用户名为"):
        call_command("reset_staff_otp", "nobody", stdout=io.StringIO())


def test_reset_ends_sessions_verified_with_the_removed_device(client, make_staff):
    user = make_staff("moderator", personal_data=True)
    enrol(client, user)
    assert client.get("/admin/").status_code == 200
    call_command("reset_staff_otp", "moderator", stdout=io.StringIO())
    assert client.get("/admin/").url.startswith(SETUP)


def test_administrator_resets_from_the_user_list_with_a_reason(client, make_staff):
    user = make_staff("moderator", personal_data=True)
    enrol(Client(), user)
    boss = make_staff("boss", superuser=True)
    enrol(client, boss)
    listing = client.get("/admin/users/").content.decode()
    assert f"/admin/2fa/reset/{user.pk}/" in listing and "重置双重验证" in listing
    refused = client.post(f"/admin/2fa/reset/{user.pk}/", {"reason": ""})
    assert "请填写重置原因" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()
    done = client.post(f"/admin/2fa/reset/{user.pk}/", {"reason": "手机丢失，已电话核实"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    entry = ModelLogEntry.objects.get(action="portal_accounts.otp_reset", object_id=str(user.pk))
    assert entry.user == boss and entry.data["reason"] == "手机丢失，已电话核实"


def test_only_superusers_may_reset_a_second_factor(client, make_staff):
    victim = make_staff("moderator", personal_data=True)
    enrol(Client(), victim)
    make_staff("editor")
    sign_in(client, "editor")
    assert client.post(f"/admin/2fa/reset/{victim.pk}/", {"reason": "想重置"}).status_code == 403
    assert TOTPDevice.objects.filter(user=victim).exists()
