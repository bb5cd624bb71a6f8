"""The report form asks whether to be told of progress; the resident's own link opens the
report without a captcha and leaks its secret nowhere; staff see the message log."""

import json
import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from feedback.complaints import services
from feedback.models import Complaint, Notification
from feedback.notifications.checks import check_sms_settings
from portal.logs import RedactPathSecrets

from . import test_report_journey

pytestmark = pytest.mark.django_db
REPORT = "/feedback/report/"
form_data = test_report_journey.form_data  # the resident's filled-in report, as there


@pytest.fixture
def outbox(settings, tmp_path):
    settings.NOTIFY_OUTBOX = str(tmp_path / "sms.jsonl")

    def read():
        path = tmp_path / "sms.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    return read


def test_resident_consents_with_email_and_consent_time_is_stored(client, form_data):
    response = client.post(REPORT, {**form_data, "notify": "on", "email": " zhangsan@example.com "})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.notify_consent is True and complaint.notify_consented_at is not None
    assert complaint.email == "zhangsan@example.com"
    page = client.get(reverse("feedback:submitted")).content.decode()
    assert "我们会发短信到 138****5678" in page and "zhangsan@" not in page


def test_without_consent_no_email_is_kept_and_nothing_is_sent(client, form_data, outbox, mailoutbox, unit):
    assert client.post(REPORT, form_data).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.notify_consent is False and complaint.notify_consented_at is None
    services.dispatch_complaint(complaint=complaint, unit=unit, actor=None)
    assert outbox() == [] and not Notification.objects.exists()


def test_email_without_consent_is_an_error_next_to_the_field_and_the_form_keeps_it(client, form_data):
    response = client.post(REPORT, {**form_data, "email": "zhangsan@example.com"})
    html = response.content.decode()
    assert response.status_code == 200 and not Complaint.objects.exists()
    assert "邮箱只用于发送办理进展" in html
    assert 'value="zhangsan@example.com"' in html and 'value="13812345678"' in html


def test_a_wrong_email_gets_a_chinese_error(client, form_data):
    html = client.post(REPORT, {**form_data, "notify": "on", "email": "zhangsan@"}).content.decode()
    assert "请填写正确的邮箱地址" in html and not Complaint.objects.exists()


def test_console_sms_carries_reference_and_link_with_the_phone_masked(
    client, form_data, outbox, unit, capsys, django_capture_on_commit_callbacks
):
    client.post(REPORT, {**form_data, "notify": "on"})
    complaint = Complaint.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_complaint(complaint=complaint, unit=unit, actor=None)
    (sms,) = outbox()
    link = f"http://testserver/feedback/track/{complaint.tracking_token}/"
    assert sms["link"] == link and sms["reference"] == complaint.reference and sms["to"] == "138****5678"
    assert complaint.reference in sms["text"] and link in sms["text"] and "13812345678" not in sms["text"]
    printed = capsys.readouterr().out
    assert link in printed and "138****5678" in printed and "13812345678" not in printed
    assert Notification.objects.get().status == "sent"


def test_the_link_alone_opens_the_report_without_captcha_and_passes_its_secret_to_nobody(client, form_data):
    client.post(REPORT, {**form_data, "notify": "on", "email": "zhangsan@example.com"})
    complaint = Complaint.objects.get()
    fresh = client.__class__()  # another browser: no cookie, no session, no look-up
    response = fresh.get(reverse("feedback:track_token", args=[complaint.tracking_token]))
    html = response.content.decode()
    assert response.status_code == 200 and complaint.reference in html
    assert "captcha" not in html and "验证码" not in html
    assert response["Referrer-Policy"] == "strict-origin"
    assert '<meta name="referrer" content="strict-origin">' in html
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
    assert "z***@example.com" in html and "zhangsan@example.com" not in html and "13812345678" not in html
    submitted = client.get(reverse("feedback:submitted"))
    assert submitted["Referrer-Policy"] == "strict-origin"


def test_the_lookup_for_people_without_the_link_still_asks_for_the_captcha(client, site):
    html = client.get(reverse("feedback:track")).content.decode()
    assert 'name="captcha_1"' in html and 'name="phone_last4"' in html


def test_tracking_secrets_are_cut_out_of_log_lines(client, site, caplog):
    token = "Zx9-secret-token-value-0123456789"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/feedback/track/{token}/").status_code == 404
    handler_filter = RedactPathSecrets(patterns=[r"(/feedback/track/)[^/\s\"?]+"])
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records, "Django logs the 404 with its path"
    for record in records:
        handler_filter.filter(record)
        assert token not in record.getMessage() and "/feedback/track/…" in record.getMessage()


def test_runservers_request_lines_are_redacted_by_the_configured_handler():
    (handler,) = [h for h in logging.getLogger("django.server").handlers if h.filters]
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"GET %s HTTP/1.1" 200',
        ("/feedback/track/abcDEF123/",),
        None,
    )
    assert any(isinstance(f, RedactPathSecrets) for f in handler.filters)
    assert all(f.filter(record) for f in handler.filters)
    assert record.getMessage() == '"GET /feedback/track/…/ HTTP/1.1" 200'


def test_staff_see_the_message_log_and_the_email_masked_without_personal_data_permission(
    client, form_data, make_moderator, unit, django_capture_on_commit_callbacks
):
    client.post(REPORT, {**form_data, "notify": "on", "email": "zhangsan@example.com"})
    complaint = Complaint.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_complaint(complaint=complaint, unit=unit, actor=None)
    url = reverse("feedback_complaint_modeladmin_inspect", args=[complaint.pk])
    client.force_login(make_moderator("plain", communities=[complaint.community]))
    html = client.get(url).content.decode()
    assert "进展通知记录" in html and "已受理并派单" in html and "已发送" in html
    assert "z***@example.com" in html and "zhangsan@example.com" not in html
    assert complaint.tracking_token not in html
    client.force_login(make_moderator("trusted", communities=[complaint.community], personal_data=True))
    assert "zhangsan@example.com" in client.get(url).content.decode()


def test_erasing_personal_data_removes_the_email(form_data, client):
    client.post(REPORT, {**form_data, "notify": "on", "email": "zhangsan@example.com"})
    complaint = services.erase_personal_data(complaint=Complaint.objects.get(), actor=None)
    assert complaint.email == "" and complaint.phone == ""


@override_settings(
    NOTIFY_BACKENDS={"sms": "feedback.notifications.backends.aliyun.AliyunSmsBackend", "email": ""}
)
def test_aliyun_backend_without_keys_or_templates_stops_the_deploy(settings):
    settings.ALIYUN_SMS_ACCESS_KEY_ID = ""
    settings.NOTIFY_SMS_TEMPLATES = {"dispatched": "SMS_1"}
    settings.ALIYUN_SMS_ENDPOINT = "ftp://dysmsapi.aliyuncs.com/"
    ids = {error.id for error in check_sms_settings()}
    assert ids == {"notify.E002", "notify.E003"}


def test_console_sms_in_production_is_warned_about(settings):
    settings.PORTAL_REQUIRE_DELIVERY = True
    assert [e.id for e in check_sms_settings()] == ["notify.W001"]


def test_the_privacy_notice_names_the_email_and_the_progress_sms():
    from home.demo import privacy_notice

    notice = privacy_notice()
    assert "电子邮箱（可不填）" in notice and "告知办理进展" in notice and "短信服务商" in notice
