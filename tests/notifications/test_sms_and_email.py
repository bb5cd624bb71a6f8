"""A resident who asked to be told gets an SMS (and an e-mail) at every public step, through
the provider's API played by a local server; failures are retried within bounds, and the
message log keeps no personal data."""

import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.complaints import services
from feedback.models import Complaint, Notification, Rating, RejectReason
from feedback.notifications.models import Status
from tests.factories.feedback import ComplaintFactory

from .conftest import EMAIL, PHONE, TEMPLATES

pytestmark = pytest.mark.django_db


def _dispatch(complaint, unit):
    return services.dispatch_complaint(complaint=complaint, unit=unit, actor=None)


def _to(step, complaint, unit):
    """Run the services up to and including ``step``; returns the complaint."""
    if step == "rejected":
        return services.reject_complaint(complaint=complaint, reason=RejectReason.OUT_OF_SCOPE, actor=None)
    complaint = _dispatch(complaint, unit)
    if step == "dispatched":
        return complaint
    if step == "extended":
        return services.extend_deadline(
            complaint=complaint,
            new_deadline=complaint.deadline + timedelta(days=5),
            reason="需协调物业更换设备",
            actor=None,
        )
    complaint = services.start_complaint(complaint=complaint, actor=None)
    if step == "in_progress":
        return complaint
    complaint = services.resolve_complaint(complaint=complaint, reply="已清运并增加清运频次。", actor=None)
    if step == "resolved":
        return complaint
    return services.rate_complaint(complaint=complaint, rating=Rating.DISSATISFIED, comment="还是满的")


def _sms_for(fake, step):
    return [r for r in fake.requests if r["TemplateCode"] == TEMPLATES[step]]


@pytest.mark.parametrize("step", list(TEMPLATES))
def test_each_public_step_sends_the_approved_template_with_reference_and_token(
    step, consenting, unit, fake_aliyun, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = _to(step, consenting, unit)
    (request,) = _sms_for(fake_aliyun, step)
    assert request["PhoneNumbers"] == PHONE
    assert request["SignName"] == "同心门户"
    assert request["Action"] == "SendSms" and request["Version"] == "2017-05-25"
    params = json.loads(request["TemplateParam"])
    assert params["ref"] == complaint.reference and params["token"] == complaint.tracking_token
    if step == "rejected":
        assert params["reason"] == "不属于受理范围"
    assert PHONE not in request["_query"]  # the number travels in the body, not the URL
    sms = Notification.objects.get(complaint=complaint, step=step, channel="sms")
    assert sms.status == Status.SENT and sms.attempts == 1 and sms.sent_at
    assert sms.provider_message_id.startswith("biz-")
    assert sms.masked_address == "138****5678"
    # And the e-mail of the same step: subject with the reference, the link in the body.
    mail = next(m for m in mailoutbox if m.to == [EMAIL] and step_label(step) in m.subject)
    assert complaint.reference in mail.subject
    assert f"http://testserver/feedback/track/{complaint.tracking_token}/" in mail.body
    assert "张三丰" not in mail.body and PHONE not in mail.body
    assert Notification.objects.get(complaint=complaint, step=step, channel="email").status == Status.SENT


def step_label(step):
    from feedback.complaints.signals import PublicStep

    return PublicStep(step).label


def test_without_consent_nothing_is_sent(
    category, community, unit, fake_aliyun, mailoutbox, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(category=category, community=community, notify_consent=False)
    with django_capture_on_commit_callbacks(execute=True):
        _to("resolved", complaint, unit)
    assert fake_aliyun.requests == [] and mailoutbox == []
    assert not Notification.objects.exists()


def test_held_report_from_a_blocked_number_is_not_announced(
    consenting, fake_aliyun, django_capture_on_commit_callbacks
):
    Complaint.objects.filter(pk=consenting.pk).update(held=True)
    consenting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_complaint(complaint=consenting, reason=RejectReason.SPAM, actor=None)
    assert fake_aliyun.requests == [] and not Notification.objects.exists()


def test_sms_only_when_no_email_was_given(
    category, community, unit, fake_aliyun, mailoutbox, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(
        category=category, community=community, notify_consent=True, notify_consented_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        _dispatch(complaint, unit)
    assert len(fake_aliyun.requests) == 1 and mailoutbox == []
    assert list(Notification.objects.values_list("channel", flat=True)) == ["sms"]


@pytest.mark.parametrize(
    "code", ["isv.MOBILE_NUMBER_ILLEGAL", "isv.AMOUNT_NOT_ENOUGH", "isv.SMS_TEMPLATE_ILLEGAL"]
)
def test_a_refusal_that_will_not_change_is_not_retried(
    code, consenting, unit, fake_aliyun, django_capture_on_commit_callbacks
):
    fake_aliyun.script = [("code", code)]
    with django_capture_on_commit_callbacks(execute=True):
        _dispatch(consenting, unit)
    sms = Notification.objects.get(channel="sms")
    assert (sms.status, sms.attempts, sms.error) == (Status.FAILED, 1, code)
    assert len(fake_aliyun.requests) == 1


@pytest.mark.parametrize(
    "failures",
    [
        [("http", 500)],
        [("http", 503), ("code", "isp.SYSTEM_ERROR")],
        [("code", "isv.BUSINESS_LIMIT_CONTROL")],
        [("sleep", 1.0)],
    ],
    ids=["http-500", "503-then-system-error", "flow-control", "timeout"],
)
def test_a_passing_failure_is_retried_until_sent(
    failures, consenting, unit, fake_aliyun, django_capture_on_commit_callbacks
):
    fake_aliyun.script = list(failures)
    with django_capture_on_commit_callbacks(execute=True):
        _dispatch(consenting, unit)
    sms = Notification.objects.get(channel="sms")
    assert sms.status == Status.SENT
    assert sms.attempts == len(failures) + 1
    assert sms.error == ""


def test_retries_are_bounded_and_the_last_error_is_kept(
    consenting, unit, fake_aliyun, django_capture_on_commit_callbacks
):
    fake_aliyun.script = [("http", 500)] * 10
    with django_capture_on_commit_callbacks(execute=True):
        _dispatch(consenting, unit)
    sms = Notification.objects.get(channel="sms")
    assert (sms.status, sms.attempts, sms.error) == (Status.FAILED, 3, "http_500")
    assert len(fake_aliyun.requests) == 3


def test_a_wrong_key_is_refused_by_the_provider_and_not_retried(
    consenting, unit, fake_aliyun, settings, django_capture_on_commit_callbacks
):
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "not-the-secret"
    with django_capture_on_commit_callbacks(execute=True):
        _dispatch(consenting, unit)
    sms = Notification.objects.get(channel="sms")
    assert (sms.status, sms.error, sms.attempts) == (Status.FAILED, "SignatureDoesNotMatch", 1)


def test_on_a_queue_that_defers_the_retry_is_a_later_task(
    consenting, unit, fake_aliyun, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    from feedback.notifications import services as delivery
    from feedback.notifications.tasks import send_notification

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.NOTIFY_RETRY_SECONDS = 60
    fake_aliyun.script = [("http", 500), ("http", 500)]
    with django_capture_on_commit_callbacks(execute=True):
        _dispatch(consenting, unit)
    sms = Notification.objects.get(channel="sms")
    assert sms.status == Status.QUEUED and sms.attempts == 0  # queued, not run by the dummy queue
    send_notification.call(notification_id=sms.pk)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.error) == (Status.QUEUED, 1, "http_500")
    later = [r for r in default_task_backend.results if r.task.run_after is not None]
    assert len(later) == 1
    assert abs((later[0].task.run_after - sms.last_attempt_at) - timedelta(seconds=60)) < timedelta(seconds=1)
    send_notification.call(notification_id=sms.pk)
    sms.refresh_from_db()
    assert sms.next_attempt_at - sms.last_attempt_at == timedelta(seconds=120)  # the wait doubles
    send_notification.call(notification_id=sms.pk)
    sms.refresh_from_db()
    assert sms.status == Status.SENT and sms.attempts == 3
    # A task run once more (a worker restarted mid-way) sends nothing twice.
    assert delivery.deliver(sms.pk, defer=None) == Status.SENT
    assert len(fake_aliyun.requests) == 3


def test_data_erased_before_sending_means_no_message(
    consenting, unit, fake_aliyun, settings, django_capture_on_commit_callbacks
):
    from feedback.notifications.tasks import send_notification

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        _dispatch(consenting, unit)
    services.erase_personal_data(complaint=consenting, actor=None)
    for sms in Notification.objects.all():
        send_notification.call(notification_id=sms.pk)
    assert fake_aliyun.requests == []
    assert set(Notification.objects.values_list("status", "error")) == {(Status.FAILED, "no_address")}
    consenting.refresh_from_db()
    assert consenting.email == "" and consenting.phone == ""


def test_no_personal_data_or_secret_in_the_log_rows_or_the_logs(
    consenting, unit, fake_aliyun, caplog, django_capture_on_commit_callbacks
):
    fake_aliyun.script = [("http", 500), ("code", "isv.MOBILE_NUMBER_ILLEGAL")]
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        _to("resolved", consenting, unit)
    rows = list(Notification.objects.values())
    assert len(rows) == 6  # dispatched, in progress, resolved × SMS and e-mail
    secrets = [PHONE, "12345678", EMAIL, "zhangsan", consenting.tracking_token, "张三丰"]
    dumped = json.dumps(rows, default=str, ensure_ascii=False)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in secrets:
        assert secret not in dumped
        assert secret not in logged
    assert "isv.MOBILE_NUMBER_ILLEGAL" in logged  # the log does say what went wrong


def test_a_change_that_rolls_back_sends_nothing(
    consenting, unit, fake_aliyun, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _dispatch(consenting, unit)
            raise RuntimeError("the moderator's request failed later")
    assert fake_aliyun.requests == [] and not Notification.objects.exists()


def test_a_neighbour_who_asked_is_told_with_the_public_page_not_the_reporters_link(
    consenting, unit, fake_aliyun, django_capture_on_commit_callbacks
):
    from feedback.notifications.messages import public_link

    from .conftest import FOLLOWER_TEMPLATE_CODE

    complaint = _dispatch(consenting, unit)
    complaint = services.set_public_text(complaint=complaint, text="小区门口垃圾桶满了。", actor=None)
    assert services.add_follower(
        complaint=complaint,
        device_id="neighbour-1",
        phone="139 0000 1111",
        notify=True,
        privacy_notice_version="1",
    )
    assert services.add_follower(complaint=complaint, device_id="neighbour-2")  # counted, not told
    fake_aliyun.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.start_complaint(complaint=complaint, actor=None)
    reporter = _sms_for(fake_aliyun, "in_progress")
    (neighbour,) = [r for r in fake_aliyun.requests if r["TemplateCode"] == FOLLOWER_TEMPLATE_CODE]
    assert [r["PhoneNumbers"] for r in reporter] == [PHONE]
    assert neighbour["PhoneNumbers"] == "13900001111"
    params = json.loads(neighbour["TemplateParam"])
    assert params == {"step": "承办单位正在处理", "code": complaint.public_code}
    sent = json.dumps(neighbour, ensure_ascii=False)
    assert complaint.reference not in sent and complaint.tracking_token not in sent
    assert public_link(complaint).endswith(f"/feedback/public/{complaint.public_code}/")
    row = Notification.objects.get(complaint=complaint, step="in_progress", recipient__startswith="follower:")
    assert row.status == Status.SENT and row.masked_address == "139****1111"
