"""The need and wish forms: captcha, consent and field errors in Chinese next to the
field, typed values kept, nothing saved; a valid post gives the private link."""

import pytest
from django.urls import reverse

from feedback.participation.models import Need, Wish
from portal.abuse import AbuseProtectedForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def need_data(community):
    return {
        "kind": "repair",
        "community": community.pk,
        "description": "楼道灯坏了两个星期，晚上老人上下楼很不方便。",
        "preferred_time": "工作日晚上",
        "name": "赵阿姨",
        "phone": "138 1234 5678",
        "consent": "on",
        "captcha_0": "test",
        "captcha_1": "PASSED",
        **AbuseProtectedForm.protection_data(),
    }


@pytest.fixture
def wish_data(community):
    return {
        "community": community.pk,
        "title": "一套小学生文具",
        "description": "孩子开学需要。",
        "value_yuan": "60",
        "name": "王芳",
        "phone": "13900001111",
        "consent": "on",
        "captcha_0": "test",
        "captcha_1": "PASSED",
        **AbuseProtectedForm.protection_data(),
    }


def _field_error(html: str, field: str) -> str:
    marker = f'id="id_{field}_error">'
    assert marker in html, f"no error next to {field}"
    return html.split(marker, 1)[1].split("<", 1)[0]


def test_need_posted_gives_private_link(client, need_data):
    response = client.post(reverse("participation:need_new"), need_data)
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.phone == "13812345678" and need.state == "submitted" and need.consented_at
    page = client.get(response["Location"])
    html = page.content.decode()
    assert need.tracking_token in html and "138****5678" in html
    assert page["Cache-Control"] == "private, no-store"


def test_wrong_captcha_keeps_typed_values_and_saves_nothing(client, need_data):
    need_data["captcha_1"] = "WRONG"
    response = client.post(reverse("participation:need_new"), need_data)
    html = response.content.decode()
    assert response.status_code == 200 and Need.objects.count() == 0
    assert "提交未成功" in html
    assert "楼道灯坏了两个星期" in html and "138 1234 5678" in html and "工作日晚上" in html


def test_missing_consent_and_bad_phone_errors_next_to_fields(client, need_data):
    del need_data["consent"]
    need_data["phone"] = "12345"
    html = client.post(reverse("participation:need_new"), need_data).content.decode()
    assert "请阅读并勾选同意个人信息保护告知。" in html
    assert _field_error(html, "phone") == "请填写 11 位手机号码，如 13812345678。"
    assert Need.objects.count() == 0


def test_short_description_and_missing_kind(client, need_data):
    need_data["description"] = "太短"
    del need_data["kind"]
    html = client.post(reverse("participation:need_new"), need_data).content.decode()
    assert "需求描述至少 10 个字（现在 2 个字）" in _field_error(html, "description")
    assert "请选择需求类型。" in html


def test_wish_over_cap_refused_next_to_value(client, wish_data, settings):
    settings.PARTICIPATION_WISH_MAX_YUAN = 100
    wish_data["value_yuan"] = "150"
    html = client.post(reverse("participation:wish_new"), wish_data).content.decode()
    assert "微心愿不超过 100 元" in _field_error(html, "value_yuan")
    assert "一套小学生文具" in html and Wish.objects.count() == 0


def test_wish_posted(client, wish_data):
    response = client.post(reverse("participation:wish_new"), wish_data)
    assert response.status_code == 302
    wish = Wish.objects.get()
    assert wish.value_yuan == 60 and wish.state == "submitted"
    html = client.get(response["Location"]).content.decode()
    assert wish.tracking_token in html and "王**" in html


def test_phone_limit_refuses_with_429_and_keeps_text(client, need_data, settings):
    settings.FEEDBACK_REPORT_RATE_PER_PHONE = "1/h"
    assert client.post(reverse("participation:need_new"), need_data).status_code == 302
    need_data.update(AbuseProtectedForm.protection_data())
    response = client.post(reverse("participation:need_new"), need_data)
    assert response.status_code == 429
    assert "楼道灯坏了两个星期" in response.content.decode()
    assert Need.objects.count() == 1
