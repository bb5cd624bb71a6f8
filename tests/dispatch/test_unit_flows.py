"""The handling unit's flows through the services: 签收, 进展 (public or internal), 延期
(request and decision), 退单 and 分配, with who may do each."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from feedback.complaints import services
from feedback.complaints.models import ComplaintEvent, ExtensionDecision, SendBackReason, State
from feedback.complaints.workflow import TransitionError
from tests.feedback.conftest import publish

pytestmark = pytest.mark.django_db


def test_liaison_signs_once(dispatched, liaison, other_liaison):
    signed = services.sign_complaint(complaint=dispatched, actor=liaison)
    assert signed.signed_by == liaison and signed.signed_at is not None
    assert signed.state == State.IN_PROGRESS
    with pytest.raises(TransitionError, match="已签收"):
        services.sign_complaint(complaint=signed, actor=liaison)
    signed.refresh_from_db()
    assert signed.signed_by == liaison


def test_other_units_liaison_is_not_its_ticket(dispatched, other_liaison):
    with pytest.raises(services.NotYourTicket):
        services.sign_complaint(complaint=dispatched, actor=other_liaison)
    with pytest.raises(services.NotYourTicket):
        services.send_back_complaint(
            complaint=dispatched, actor=other_liaison, reason=SendBackReason.values[0]
        )
    with pytest.raises(services.NotYourTicket):
        services.request_extension(
            complaint=dispatched,
            actor=other_liaison,
            new_deadline=dispatched.deadline + timedelta(days=5),
            reason="需要协调",
        )
    dispatched.refresh_from_db()
    assert dispatched.signed_at is None and dispatched.state == State.DISPATCHED


def test_community_worker_without_unit_role_cannot_sign(dispatched, moderator, unit):
    unit.members.add(moderator)  # a member, but without handle_unit_complaint
    with pytest.raises(services.NotYourTicket):
        services.sign_complaint(complaint=dispatched, actor=moderator)


def test_internal_note_never_reaches_the_resident_or_public_page(client, dispatched, liaison, moderator):
    publish(dispatched, actor=moderator)
    dispatched.refresh_from_db()
    services.post_progress(complaint=dispatched, actor=liaison, text="已联系物业，明天上门清理", public=True)
    services.post_progress(complaint=dispatched, actor=liaison, text="内部：物业经理不配合", public=False)
    dispatched.refresh_from_db()
    assert dispatched.state == State.DISPATCHED and dispatched.last_progress_at is not None
    track = client.get(reverse("feedback:track_token", args=[dispatched.tracking_token])).content.decode()
    assert "已联系物业，明天上门清理" in track
    assert "物业经理不配合" not in track
    if dispatched.public_code:
        public = client.get(reverse("feedback:public_detail", args=[dispatched.public_code]))
        assert "物业经理不配合" not in public.content.decode()
    assert ComplaintEvent.objects.filter(complaint=dispatched, note__contains="物业经理不配合").exists()


def test_empty_progress_refused(dispatched, liaison):
    with pytest.raises(TransitionError, match="请填写进展内容"):
        services.post_progress(complaint=dispatched, actor=liaison, text=" ", public=True)


def test_extension_approved_moves_deadline(dispatched, liaison, moderator):
    wanted = dispatched.deadline + timedelta(days=10)
    request = services.request_extension(
        complaint=dispatched, actor=liaison, new_deadline=wanted, reason="需要协调"
    )
    with pytest.raises(TransitionError, match="待审核"):
        services.request_extension(complaint=dispatched, actor=liaison, new_deadline=wanted, reason="再次")
    decided = services.decide_extension(request=request, actor=moderator, approve=True)
    assert decided.decision == ExtensionDecision.APPROVED
    dispatched.refresh_from_db()
    assert dispatched.deadline == wanted


def test_extension_refusal_needs_reason_and_keeps_deadline(dispatched, liaison, moderator):
    before = dispatched.deadline
    request = services.request_extension(
        complaint=dispatched, actor=liaison, new_deadline=before + timedelta(days=3), reason="需要协调"
    )
    with pytest.raises(TransitionError, match="须填写原因"):
        services.decide_extension(request=request, actor=moderator, approve=False)
    refused = services.decide_extension(request=request, actor=moderator, approve=False, reason="时限足够")
    assert refused.decision == ExtensionDecision.REFUSED and refused.decision_reason == "时限足够"
    dispatched.refresh_from_db()
    assert dispatched.deadline == before


def test_extension_must_be_later(dispatched, liaison):
    with pytest.raises(TransitionError, match="晚于原时限"):
        services.request_extension(
            complaint=dispatched, actor=liaison, new_deadline=dispatched.deadline, reason="需要协调"
        )


def test_send_back_returns_to_queue_with_reason(client, dispatched, liaison, moderator):
    services.sign_complaint(complaint=dispatched, actor=liaison)
    with pytest.raises(TransitionError, match="须填写说明"):
        services.send_back_complaint(complaint=dispatched, actor=liaison, reason=SendBackReason.OTHER)
    reason = next(r for r in SendBackReason.values if r != SendBackReason.OTHER)
    back = services.send_back_complaint(complaint=dispatched, actor=liaison, reason=reason, note="不在辖区")
    assert back.state == State.SUBMITTED
    assert back.handling_unit is None and back.signed_at is None and back.deadline is None
    assert back.send_back_reason == reason
    client.force_login(moderator)
    page = client.get(reverse("feedback_complaint_modeladmin_inspect", args=[back.pk])).content.decode()
    assert SendBackReason(reason).label in page and "不在辖区" in page
    track = client.get(reverse("feedback:track_token", args=[back.tracking_token])).content.decode()
    assert "不在辖区" not in track


def test_assign_to_me_and_to_outsider(dispatched, liaison, other_liaison):
    assigned = services.assign_complaint(complaint=dispatched, actor=liaison, assignee=liaison)
    assert assigned.assignee == liaison
    with pytest.raises(TransitionError, match="只能分配给"):
        services.assign_complaint(complaint=dispatched, actor=liaison, assignee=other_liaison)
    dispatched.refresh_from_db()
    assert dispatched.assignee == liaison


def test_liaison_permission_is_what_lets_them_act(dispatched, liaison):
    liaison.user_permissions.remove(Permission.objects.get(codename="handle_unit_complaint"))
    from django.contrib.auth import get_user_model

    fresh = get_user_model().objects.get(pk=liaison.pk)
    with pytest.raises(services.NotYourTicket):
        services.sign_complaint(complaint=dispatched, actor=fresh)
