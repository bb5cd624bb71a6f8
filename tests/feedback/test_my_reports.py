"""我的反映: a phone verified by an SMS code lists that phone's reports, and only them."""

import json
import re

import pytest
from django.urls import reverse

from feedback.notifications.forms import CodeForm, PhoneForm
from tests.factories.feedback import ComplaintFactory

pytestmark = pytest.mark.django_db
PHONE_DATA = {"captcha_0": "test", "captcha_1": "PASSED", **PhoneForm.protection_data()}
CODE_DATA = CodeForm.protection_data()


@pytest.fixture
def outbox(settings, tmp_path):
    path = tmp_path / "sms.jsonl"
    settings.NOTIFY_OUTBOX = str(path)
    return lambda: [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _code(outbox) -> str:
    return re.search(r"验证码为 (\d{6})", outbox()[-1]["text"]).group(1)


def test_resident_verifies_the_phone_and_sees_all_its_reports(
    client, site, complaint, outbox, category, community
):
    other = ComplaintFactory(category=category, community=community, phone="13812345678")
    stranger = ComplaintFactory(category=category, community=community, phone="13900001111")
    response = client.post(reverse("feedback:mine"), {"phone": "138 1234 5678", **PHONE_DATA})
    assert response.status_code == 302 and response["Location"] == reverse("feedback:mine_verify")
    (sms,) = outbox()
    assert sms["to"] == "138****5678" and "13812345678" not in sms["text"]
    assert "138****5678" in client.get(reverse("feedback:mine_verify")).content.decode()
    response = client.post(reverse("feedback:mine_verify"), {"code": _code(outbox), **CODE_DATA})
    assert response.status_code == 302
    listing = client.get(reverse("feedback:mine"))
    html = listing.content.decode()
    assert complaint.reference in html and other.reference in html and stranger.reference not in html
    assert reverse("feedback:track_token", args=[complaint.tracking_token]) in html
    assert "13812345678" not in html and "张三丰" not in html
    assert listing["Referrer-Policy"] == "strict-origin" and "no-store" in listing["Cache-Control"]
    client.post(reverse("feedback:mine"), {"leave": "1"})
    assert complaint.reference not in client.get(reverse("feedback:mine")).content.decode()


def test_a_wrong_code_is_refused_and_five_void_it(client, site, complaint, outbox):
    client.post(reverse("feedback:mine"), {"phone": "13812345678", **PHONE_DATA})
    right = _code(outbox)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        html = client.post(reverse("feedback:mine_verify"), {"code": wrong, **CODE_DATA}).content.decode()
        assert "验证码不正确或已过期" in html
    html = client.post(reverse("feedback:mine_verify"), {"code": right, **CODE_DATA}).content.decode()
    assert "验证码不正确或已过期" in html  # voided: the right code no longer works
    assert complaint.reference not in client.get(reverse("feedback:mine")).content.decode()


def test_codes_are_limited_per_phone_and_need_the_captcha(client, site, outbox, settings):
    settings.FEEDBACK_MINE_CODE_RATE_PER_PHONE = "2/h"
    bad = client.post(reverse("feedback:mine"), {"phone": "13812345678", **PHONE_DATA, "captcha_1": "wrong"})
    assert bad.status_code == 200 and outbox() == []
    for _ in range(2):
        assert (
            client.post(reverse("feedback:mine"), {"phone": "13812345678", **PHONE_DATA}).status_code == 302
        )
    refused = client.post(reverse("feedback:mine"), {"phone": "13812345678", **PHONE_DATA})
    assert refused.status_code == 429 and "验证码发送次数过多" in refused.content.decode()
    assert len(outbox()) == 2


def test_a_provider_failure_says_so_and_stores_no_code(client, site, settings, outbox):
    settings.NOTIFY_BACKENDS = {
        **settings.NOTIFY_BACKENDS,
        "sms": "feedback.notifications.backends.aliyun.AliyunSmsBackend",
    }
    settings.ALIYUN_SMS_ENDPOINT = "http://127.0.0.1:9/"  # nothing listens there
    settings.NOTIFY_SMS_TEMPLATES = {"code": "SMS_1"}
    html = client.post(reverse("feedback:mine"), {"phone": "13812345678", **PHONE_DATA}).content.decode()
    assert "短信没有发出" in html
    assert client.get(reverse("feedback:mine_verify"))["Location"] == reverse("feedback:mine")


def test_the_verify_step_needs_a_phone_first(client, site):
    response = client.get(reverse("feedback:mine_verify"))
    assert response.status_code == 302 and response["Location"] == reverse("feedback:mine")


def test_the_list_costs_the_same_queries_for_two_reports_or_twelve(client, site, outbox, category, community):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ComplaintFactory.create_batch(2, category=category, community=community, phone="13812345678")
    client.post(reverse("feedback:mine"), {"phone": "13812345678", **PHONE_DATA})
    client.post(reverse("feedback:mine_verify"), {"code": _code(outbox), **CODE_DATA})
    client.get(reverse("feedback:mine"))  # the first visit also fills per-process caches (the site)
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("feedback:mine"))
    ComplaintFactory.create_batch(10, category=category, community=community, phone="13812345678")
    with CaptureQueriesContext(connection) as twelve:
        html = client.get(reverse("feedback:mine")).content.decode()
    assert html.count('class="reference-inline"') == 12
    assert len(twelve) == len(two) <= 4  # session, the reports with category and community
