"""The complaint state machine, deadlines and ratings, through the service functions."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from feedback.complaints import services
from feedback.complaints.selectors import overdue_complaints
from feedback.complaints.workdays import add_working_days
from feedback.complaints.workflow import TRANSITIONS, TransitionError, deadline_after, resolved_on_time
from feedback.models import Complaint, ComplaintEvent, Rating, RejectReason, State
from tests.factories.feedback import ComplaintFactory

from .conftest import advance

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def in_state(complaint, state):
    """Put a complaint into ``state`` by walking legal transitions only."""
    if state == State.SUBMITTED:
        return complaint
    if state == State.REJECTED:
        return services.reject_complaint(complaint=complaint, reason=RejectReason.SPAM, actor=None)
    if state in (State.DISPATCHED, State.IN_PROGRESS, State.RESOLVED):
        return advance(complaint, to=state)
    resolved = advance(complaint, to="resolved")
    if state == State.CLOSED:
        return services.rate_complaint(complaint=resolved, rating=Rating.SATISFIED)
    return services.rate_complaint(complaint=resolved, rating=Rating.DISSATISFIED)  # REOPENED


def attempt(complaint, target, unit):
    if target == State.DISPATCHED:
        return services.dispatch_complaint(complaint=complaint, unit=unit, actor=None)
    if target == State.IN_PROGRESS:
        return services.start_complaint(complaint=complaint, actor=None)
    if target == State.RESOLVED:
        return services.resolve_complaint(complaint=complaint, reply="已处理完毕，感谢反映。", actor=None)
    if target == State.REJECTED:
        return services.reject_complaint(complaint=complaint, reason=RejectReason.OUT_OF_SCOPE, actor=None)
    if target == State.CLOSED:
        return services.rate_complaint(complaint=complaint, rating=Rating.SATISFIED)
    if target == State.REOPENED:
        return services.rate_complaint(complaint=complaint, rating=Rating.DISSATISFIED)
    raise AssertionError(target)


ACTIONS = [State.DISPATCHED, State.IN_PROGRESS, State.RESOLVED, State.REJECTED, State.CLOSED, State.REOPENED]
CASES = [(source, target) for source in State.values for target in ACTIONS]


@pytest.mark.parametrize(("source", "target"), CASES)
def test_every_transition_is_allowed_or_refused_by_the_table(source, target, complaint, unit):
    complaint = in_state(complaint, source)
    assert complaint.state == source
    events_before = ComplaintEvent.objects.filter(complaint=complaint).count()
    legal = target in TRANSITIONS[source]
    if legal:
        moved = attempt(complaint, target, unit)
        assert moved.state == target
        event = moved.events.last()
        assert (event.from_state, event.to_state) == (source, target)
    else:
        with pytest.raises(TransitionError) as error:
            attempt(complaint, target, unit)
        assert "不能" in str(error.value)
        complaint.refresh_from_db()
        assert complaint.state == source
        assert ComplaintEvent.objects.filter(complaint=complaint).count() == events_before


def test_dispatch_sets_unit_and_default_deadline_from_category(complaint, unit):
    today = timezone.localdate()
    dispatched = services.dispatch_complaint(complaint=complaint, unit=unit, actor=None)
    assert dispatched.handling_unit == unit
    assert dispatched.deadline == add_working_days(start=today, days=7)
    assert "街道城管办" in dispatched.events.last().title


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 1, 30), 1, date(2026, 2, 2)),  # Friday + 1 working day: Monday
        (date(2026, 4, 30), 1, date(2026, 5, 6)),  # over the 劳动节 holiday (May 1-5)
        (date(2026, 4, 30), 15, date(2026, 5, 25)),  # 2026-05-09 (Saturday) is a 调休 working day
    ],
)
def test_deadline_counts_working_days(start, days, expected):
    assert deadline_after(start=start, days=days) == expected


def test_deadline_is_the_end_of_the_day_in_shanghai():
    deadline = date(2026, 1, 31)
    last_minute = datetime(2026, 1, 31, 23, 59, tzinfo=SHANGHAI)
    next_morning = datetime(2026, 2, 1, 0, 1, tzinfo=SHANGHAI)
    # 16:30 UTC on Jan 31 is already 00:30 on Feb 1 in Shanghai: late.
    utc_late = datetime(2026, 1, 31, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert resolved_on_time(deadline=deadline, resolved_at=last_minute) is True
    assert resolved_on_time(deadline=deadline, resolved_at=next_morning) is False
    assert resolved_on_time(deadline=deadline, resolved_at=utc_late) is False


def test_overdue_is_past_the_deadline_day_and_still_open(category, community, unit):
    jan31 = date(2026, 1, 31)
    open_report = ComplaintFactory(
        category=category, community=community, state=State.DISPATCHED, handling_unit=unit, deadline=jan31
    )
    done = ComplaintFactory(
        category=category, community=community, state=State.RESOLVED, handling_unit=unit, deadline=jan31
    )
    rejected = ComplaintFactory(category=category, community=community, state=State.REJECTED, deadline=jan31)
    reopened = ComplaintFactory(category=category, community=community, state=State.REOPENED, deadline=jan31)
    on_the_day = overdue_complaints(today=jan31)
    assert list(on_the_day) == []
    next_day = set(overdue_complaints(today=date(2026, 2, 1)))
    assert next_day == {open_report, reopened}
    assert done not in next_day and rejected not in next_day


def test_resolving_records_whether_it_was_on_time(complaint, unit):
    dispatched = services.dispatch_complaint(
        complaint=complaint, unit=unit, actor=None, deadline=timezone.localdate() + timedelta(days=1)
    )
    resolved = services.resolve_complaint(complaint=dispatched, reply="路灯已更换，恢复照明。", actor=None)
    assert resolved.resolved_on_time is True
    assert resolved.reply == "路灯已更换，恢复照明。"


def test_resolving_needs_a_reply(complaint):
    dispatched = advance(complaint, to="dispatched")
    with pytest.raises(TransitionError, match="答复"):
        services.resolve_complaint(complaint=dispatched, reply="  ", actor=None)


def test_first_dissatisfied_reopens_once_and_second_closes_as_dissatisfied(complaint, unit):
    resolved = advance(complaint, to="resolved")
    reopened = services.rate_complaint(
        complaint=resolved, rating=Rating.DISSATISFIED, comment="垃圾桶还是满的"
    )
    assert reopened.state == State.REOPENED
    assert reopened.reopen_count == 1
    assert reopened.rating == ""
    again = services.dispatch_complaint(complaint=reopened, unit=unit, actor=None)
    again = services.resolve_complaint(complaint=again, reply="已增加清运频次至每日两次。", actor=None)
    closed = services.rate_complaint(complaint=again, rating=Rating.DISSATISFIED)
    assert closed.state == State.CLOSED
    assert closed.rating == Rating.DISSATISFIED
    assert closed.reopen_count == 1


@pytest.mark.parametrize("rating", [Rating.SATISFIED, Rating.BASICALLY])
def test_satisfied_ratings_close_the_report(complaint, rating):
    resolved = advance(complaint, to="resolved")
    closed = services.rate_complaint(complaint=resolved, rating=rating, comment="处理及时")
    assert closed.state == State.CLOSED
    assert closed.rating == rating
    assert closed.rated_at is not None
    assert closed.events.last().note == "处理及时"


def test_a_report_cannot_be_rated_before_it_is_resolved_or_twice(complaint):
    with pytest.raises(TransitionError):
        services.rate_complaint(complaint=complaint, rating=Rating.SATISFIED)
    closed = services.rate_complaint(complaint=advance(complaint, to="resolved"), rating=Rating.SATISFIED)
    with pytest.raises(TransitionError):
        services.rate_complaint(complaint=closed, rating=Rating.DISSATISFIED)


def test_extending_a_deadline_needs_a_reason_and_is_public(complaint):
    dispatched = advance(complaint, to="dispatched")
    later = dispatched.deadline + timedelta(days=10)
    with pytest.raises(TransitionError, match="原因"):
        services.extend_deadline(complaint=dispatched, new_deadline=later, reason="", actor=None)
    with pytest.raises(TransitionError, match="晚于"):
        services.extend_deadline(
            complaint=dispatched, new_deadline=dispatched.deadline, reason="等配件", actor=None
        )
    extended = services.extend_deadline(
        complaint=dispatched, new_deadline=later, reason="需等待路灯配件到货", actor=None
    )
    assert extended.deadline == later
    event = extended.events.last()
    assert event.public and "需等待路灯配件到货" in event.note


def test_cannot_extend_a_resolved_report(complaint):
    resolved = advance(complaint, to="resolved")
    with pytest.raises(TransitionError, match="不能延期"):
        services.extend_deadline(
            complaint=resolved, new_deadline=resolved.deadline + timedelta(days=3), reason="x", actor=None
        )


def test_duplicate_rejection_names_the_other_report(complaint, category, community):
    original = ComplaintFactory(category=category, community=community)
    with pytest.raises(TransitionError, match="重复"):
        services.reject_complaint(complaint=complaint, reason=RejectReason.DUPLICATE, actor=None)
    rejected = services.reject_complaint(
        complaint=complaint, reason=RejectReason.DUPLICATE, duplicate_of=original, actor=None
    )
    assert rejected.state == State.REJECTED
    assert original.reference in rejected.events.last().note


def test_unrated_reports_are_closed_after_the_configured_days(complaint, category, community, settings):
    settings.FEEDBACK_CLOSE_UNRATED_AFTER_DAYS = 7
    resolved = advance(complaint, to="resolved")
    fresh = advance(ComplaintFactory(category=category, community=community), to="resolved")
    Complaint.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now() - timedelta(days=8))
    assert services.close_unrated_complaints() == 1
    resolved.refresh_from_db()
    fresh.refresh_from_db()
    assert resolved.state == State.CLOSED and resolved.rating == ""
    assert fresh.state == State.RESOLVED
    assert resolved.events.last().actor is None


def test_close_unrated_command_is_fit_for_cron(complaint):
    from io import StringIO

    from django.core.management import call_command

    resolved = advance(complaint, to="resolved")
    Complaint.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now() - timedelta(days=30))
    out = StringIO()
    call_command("close_unrated_complaints", stdout=out)
    assert "1" in out.getvalue()
    resolved.refresh_from_db()
    assert resolved.state == State.CLOSED


def test_hiding_from_public_view_is_an_internal_event(complaint):
    hidden = services.set_public_text(complaint=complaint, hidden=True, actor=None, note="含他人住址")
    assert hidden.hidden
    assert hidden.events.last().public is False


def test_category_time_limit_of_zero_days_is_refused_in_chinese(category):
    from django.core.exceptions import ValidationError

    category.default_days = 0
    with pytest.raises(ValidationError) as refused:
        category.full_clean()
    assert refused.value.message_dict["default_days"] == ["办理时限至少为 1 个工作日。"]
