"""Password reset limits (portal/accounts/views.py) and the password policy (settings)."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db

RESET = "/admin/password_reset/"
LIMITED = "重设密码的请求过于频繁"


def test_reset_is_limited_per_e_mail_address(client, make_staff):
    make_staff("worker", email="worker@street.example.cn")
    for number in range(3):
        # A different client address each time: only the per-e-mail limit can stop it.
        response = client.post(
            RESET, {"email": "Worker@Street.example.cn"}, REMOTE_ADDR=f"198.51.100.{number}"
        )
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    refused = client.post(RESET, {"email": "worker@street.example.cn"}, REMOTE_ADDR="198.51.100.99")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert LIMITED in page and "分钟后再试" in page
    assert 'value="worker@street.example.cn"' in page  # what was typed stays
    assert int(refused["Retry-After"]) > 0
    assert len(mail.outbox) == 3  # nothing sent


def test_reset_is_limited_per_client_address(client, make_staff):
    for number in range(5):
        assert client.post(RESET, {"email": f"nobody{number}@example.cn"}).status_code == 302
    assert client.post(RESET, {"email": "someone-else@example.cn"}).status_code == 429
    # Reading the form is never counted.
    assert client.get(RESET).status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Tx7#kq2-Lm", "密码太短，至少需要 12 个字符。"),
        ("381947205316", "密码只包含数字。"),
        ("password1234", "这个密码太常见了。"),
        ("lihuaxiaoqu1", "太相似"),  # like the account's own name
    ],
)
def test_weak_passwords_are_refused_in_chinese_when_setting_a_new_one(client, make_staff, password, message):
    user = make_staff("lihuaxiaoqu")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    set_password_url = client.get(f"/admin/password_reset/confirm/{uid}/{token}/").url
    response = client.post(set_password_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert not user.check_password(password)


def test_a_strong_password_is_accepted(client, make_staff):
    user = make_staff("worker")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    set_password_url = client.get(f"/admin/password_reset/confirm/{uid}/{token}/").url
    response = client.post(
        set_password_url, {"new_password1": "河边柳树-Lantern-2046", "new_password2": "河边柳树-Lantern-2046"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("河边柳树-Lantern-2046")
