"""Sign-in lock-out (django-axes, portal/accounts/lockout.py): per account and per address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.utils import timezone

from .conftest import sign_in

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多"


def test_account_is_locked_after_five_wrong_passwords_with_a_chinese_message(client, make_staff):
    make_staff("worker")
    for _ in range(4):
        response = sign_in(client, "worker", "wrong-guess")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    fifth = sign_in(client, "worker", "wrong-guess")
    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert LOCKED in page and "15 分钟后再试" in page
    assert 'value="worker"' in page  # Wagtail's sign-in form again, the username kept
    assert fifth["Retry-After"] == "900"
    # Now even the right password is refused, from another address too.
    assert sign_in(client, "worker").status_code == 429
    assert sign_in(client, "worker", REMOTE_ADDR="198.51.100.9").status_code == 429


def test_address_is_locked_after_twenty_failures_across_accounts(client, make_staff):
    make_staff("worker")
    for number in range(19):
        assert sign_in(client, f"guess{number}", "wrong-guess").status_code == 200
    assert sign_in(client, "guess19", "wrong-guess").status_code == 429
    # Every account is refused from this address, even with its right password…
    assert sign_in(client, "worker").status_code == 429
    # …while the same account signs in from elsewhere.
    assert sign_in(client, "worker", REMOTE_ADDR="198.51.100.9").status_code == 302


def test_a_forged_forwarded_for_header_does_not_open_a_fresh_address(client, make_staff):
    make_staff("worker")
    for number in range(20):
        sign_in(client, f"guess{number}", "wrong-guess")
    # No trusted proxy: the header is the client's own writing and is ignored.
    assert sign_in(client, "worker", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 429


@override_settings(TRUSTED_PROXIES=["127.0.0.1/32"])
def test_behind_the_proxy_each_client_address_counts_apart(client, make_staff):
    make_staff("worker")
    for number in range(20):
        sign_in(client, f"guess{number}", "wrong-guess", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert sign_in(client, "worker", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 429
    assert sign_in(client, "worker", HTTP_X_FORWARDED_FOR="203.0.113.51").status_code == 302


def test_lock_out_ends_after_the_cool_off(client, make_staff):
    make_staff("worker")
    for _ in range(5):
        sign_in(client, "worker", "wrong-guess")
    assert sign_in(client, "worker").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert sign_in(client, "worker").status_code == 429  # not yet
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "worker").status_code == 302


def test_a_good_sign_in_clears_the_account_count(client, make_staff):
    make_staff("worker")
    for _ in range(4):
        sign_in(client, "worker", "wrong-guess")
    assert sign_in(client, "worker").status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "worker", "wrong-guess").status_code == 200


def test_signing_in_to_ones_own_account_does_not_clear_the_address_count(client, make_staff):
    make_staff("insider")
    for number in range(19):
        sign_in(client, f"guess{number}", "wrong-guess")
    assert sign_in(client, "insider").status_code == 302
    client.logout()
    assert sign_in(client, "guess19", "wrong-guess").status_code == 429


def test_failed_attempts_never_store_the_password(client, make_staff):
    make_staff("worker")
    sign_in(client, "worker", "my-secret-guess")
    attempt = AccessAttempt.objects.get()
    assert "my-secret-guess" not in attempt.post_data
