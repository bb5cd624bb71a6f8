"""Each light's rule at its boundaries, with a fixed ``now`` (Asia/Shanghai), and the
list annotation agreeing with the one-ticket function in a bounded number of queries."""

from datetime import date, datetime, time

import pytest

from feedback.complaints import lights
from feedback.complaints.workdays import SHANGHAI
from feedback.models import Complaint, State
from tests.factories.feedback import ComplaintFactory

pytestmark = pytest.mark.django_db


def at(day: date, hour=10, minute=0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


MON, TUE, WED, THU, FRI = (
    date(2026, 11, 30),
    date(2026, 12, 1),
    date(2026, 12, 2),
    date(2026, 12, 3),
    date(2026, 12, 4),
)
NEXT_MON = date(2026, 12, 7)


def ticket(category, community, **kw):
    fields = {"state": State.DISPATCHED, "dispatched_at": at(MON, 9), "deadline": date(2026, 12, 20)}
    fields.update(kw)
    return ComplaintFactory(category=category, community=community, **fields)


def both(complaint, now):
    """The one-ticket light, checked against the list annotation."""
    single = lights.light_reason(complaint, now=now)
    annotated = lights.with_lights(Complaint.objects.filter(pk=complaint.pk), now=now).get()
    assert annotated.light_reason == single
    assert annotated.light == lights.COLOUR.get(single, "")
    return single


def test_unsigned_is_red_once_a_whole_working_day_after_dispatch_has_passed(category, community):
    c = ticket(category, community, dispatched_at=at(MON, 23, 59))
    assert both(c, at(TUE, 23, 59)) == ""
    assert both(c, at(WED, 0, 0)) == lights.UNSIGNED
    assert lights.light_for(c, now=at(WED, 0, 0)) == ("red", "红灯：超过 1 个工作日未签收")


def test_signed_or_answered_is_not_red(category, community):
    signed = ticket(category, community, signed_at=at(MON, 10))
    started = ticket(category, community, state=State.IN_PROGRESS)
    assert both(signed, at(WED)) == ""
    assert both(started, at(WED)) == ""


def test_sign_deadline_skips_the_national_day_holiday(category, community):
    c = ticket(category, community, dispatched_at=at(date(2026, 9, 30), 16), deadline=date(2026, 10, 20))
    assert both(c, at(date(2026, 10, 7), 12)) == ""  # the whole 国庆 week does not count
    assert both(c, at(date(2026, 10, 8), 23)) == ""  # first working day after it
    assert both(c, at(date(2026, 10, 9), 0, 1)) == lights.UNSIGNED


def test_overdue_is_red_from_the_day_after_the_deadline(category, community):
    c = ticket(category, community, signed_at=at(MON, 10), deadline=TUE)
    assert both(c, at(TUE, 23, 59)) == lights.DUE_SOON
    assert both(c, at(WED, 0, 0)) == lights.OVERDUE
    assert lights.light_for(c, now=at(WED))[1] == "红灯：已超期"


def test_due_within_one_working_day_is_yellow(category, community):
    c = ticket(category, community, signed_at=at(MON, 10), deadline=NEXT_MON)
    assert both(c, at(THU)) == ""  # two working days left (Fri, Mon)
    assert both(c, at(FRI)) == lights.DUE_SOON  # the next working day is Monday
    assert lights.light_for(c, now=at(FRI)) == ("yellow", "黄灯：1 个工作日内到期")


def test_no_progress_for_three_working_days_is_yellow(category, community):
    c = ticket(category, community, signed_at=at(MON, 10), last_progress_at=at(MON, 15))
    assert both(c, at(THU, 23, 59)) == ""  # Tue, Wed, Thu: only two whole days have passed
    assert both(c, at(FRI, 0, 0)) == lights.STALE
    c.last_progress_at = at(WED, 9)
    c.save()
    assert both(c, at(FRI)) == ""
    assert both(c, at(NEXT_MON, 23)) == ""  # the weekend does not count
    assert both(c, at(date(2026, 12, 8))) == lights.STALE


def test_closed_and_resolved_tickets_have_no_light(category, community):
    c = ticket(category, community, state=State.RESOLVED, deadline=MON)
    assert both(c, at(FRI)) == ""


def test_thresholds_come_from_settings(category, community, settings):
    settings.DISPATCH_LIGHTS = {"sign_within": 2, "due_within": 1, "stale_after": 3}
    c = ticket(category, community)
    assert both(c, at(WED)) == ""
    assert both(c, at(THU)) == lights.UNSIGNED
    assert "2 个工作日未签收" in lights.light_for(c, now=at(THU))[1]


def test_red_filter_in_one_query(category, community, django_assert_num_queries):
    for _ in range(5):
        ticket(category, community)
    ticket(category, community, signed_at=at(MON, 10))
    with django_assert_num_queries(1):
        assert len(list(lights.lit(Complaint.objects.all(), "red", now=at(WED)))) == 5
