"""Figures from the daily rollup: the same numbers as counting every report, and past
days read from the rollup rather than the reports."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.complaints import rollup, services
from feedback.complaints.selectors import complaint_figures, complaint_figures_by_community
from feedback.models import Complaint, ComplaintDailyFigure, Kind, Rating, RejectReason
from home.models import Community
from tests.factories.feedback import ComplaintFactory
from tests.factories.home import CommunityFactory

from .conftest import advance

pytestmark = pytest.mark.django_db


def _on(complaint, days_ago: int, hour: int = 12):
    """Move a report's receipt ``days_ago`` local days back (at ``hour`` o'clock)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    at = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(
        hours=hour
    )
    Complaint.objects.filter(pk=complaint.pk).update(created_at=at)
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def history(category, community, unit):
    """Reports over the last ten days in two communities, every way a figure counts."""
    other = CommunityFactory(name="新华社区", slug="xinhua")
    on_time = _on(advance(ComplaintFactory(category=category, community=community), to="resolved"), 9, hour=0)
    services.rate_complaint(complaint=on_time, rating=Rating.SATISFIED)
    late = _on(advance(ComplaintFactory(category=category, community=community), to="resolved"), 9, hour=23)
    Complaint.objects.filter(pk=late.pk).update(resolved_on_time=False)
    services.rate_complaint(complaint=late, rating=Rating.BASICALLY)
    reopened = _on(advance(ComplaintFactory(category=category, community=community), to="resolved"), 5)
    services.rate_complaint(complaint=reopened, rating=Rating.DISSATISFIED)
    spam = _on(ComplaintFactory(category=category, community=community), 5)
    services.reject_complaint(complaint=spam, reason=RejectReason.SPAM, actor=None)
    _on(ComplaintFactory(category=category, community=community, kind=Kind.HELP), 3)
    _on(advance(ComplaintFactory(category=category, community=other), to="resolved"), 2)
    _on(ComplaintFactory(category=category, community=other), 40)  # outside the periods
    ComplaintFactory(category=category, community=community)  # today: always live
    return [community, other]


def _all_figures(communities):
    today = timezone.localdate()
    periods = [(today - timedelta(days=9), today), (today - timedelta(days=9), today - timedelta(days=1)),
               (today - timedelta(days=5), today - timedelta(days=3)), (today, today)]  # fmt: skip
    return [
        (complaint_figures(communities=communities, start=s, end=e),
         complaint_figures_by_community(communities=Community.objects.filter(pk__in=[c.pk for c in communities]), start=s, end=e))
        for s, e in periods
    ]  # fmt: skip


def test_figures_from_the_rollup_equal_figures_counted_from_every_report(history):
    counted = _all_figures(history)
    assert rollup.roll_up() > 0
    assert rollup.rolled_up_through() == timezone.localdate() - timedelta(days=2)  # last day with reports
    assert _all_figures(history) == counted
    whole = counted[0][0]
    assert (whole.received, whole.resolved, whole.resolved_on_time, whole.rated, whole.satisfied) == (
        6, 3, 2, 2, 2,
    )  # fmt: skip


def test_past_days_are_read_from_the_rollup_not_the_reports(history):
    """A change written around the services (a raw UPDATE) does not show for rolled-up
    days: proof the figures read the rollup; today's reports are still counted live."""
    call_command("rollup_complaint_figures", stdout=open("/dev/null", "w"))  # noqa: SIM115
    today = timezone.localdate()
    before = complaint_figures(communities=history, start=today - timedelta(days=30), end=today)
    Complaint.objects.exclude(created_at__date=today).update(rating="")
    after = complaint_figures(communities=history, start=today - timedelta(days=30), end=today)
    assert after == before and after.rated == 2
    ComplaintFactory(category=Complaint.objects.first().category, community=history[0])
    assert complaint_figures(communities=history, start=today - timedelta(days=30), end=today).received == (
        before.received + 1
    )


def test_a_year_of_figures_reads_no_report_row_for_rolled_up_days(history):
    rollup.roll_up()
    today = timezone.localdate()
    through = rollup.rolled_up_through()
    with CaptureQueriesContext(connection) as queries:
        figures = complaint_figures(communities=history, start=today - timedelta(days=365), end=through)
    sql = " ".join(q["sql"] for q in queries)
    assert '"feedback_complaint"' not in sql
    assert len(queries) == 2  # the rollup's last day, the rolled-up days' sums
    assert figures.received == 6


def test_a_state_change_of_an_old_report_updates_its_day(history, unit):
    rollup.roll_up()
    today = timezone.localdate()
    reopened = Complaint.objects.get(state="reopened")
    day = timezone.localdate(reopened.created_at)
    before = complaint_figures(communities=history, start=day, end=day)
    reopened = services.dispatch_complaint(complaint=reopened, unit=unit, actor=None)
    services.resolve_complaint(complaint=reopened, reply="再次处理完毕。", actor=None)
    after = complaint_figures(communities=history, start=day, end=day)
    assert after.resolved == before.resolved + 1
    ComplaintDailyFigure.objects.all().delete()  # counted live again: the same
    assert complaint_figures(communities=history, start=day, end=day) == after
    assert complaint_figures(communities=history, start=today, end=today).received == 1


def test_rollup_rolls_up_only_new_days_and_rebuild_starts_again(history, category):
    rollup.roll_up(through=timezone.localdate() - timedelta(days=6))
    first = ComplaintDailyFigure.objects.count()
    assert rollup.rolled_up_through() == timezone.localdate() - timedelta(days=9)
    assert rollup.roll_up() > 0
    assert ComplaintDailyFigure.objects.count() > first
    rows = ComplaintDailyFigure.objects.count()
    assert rollup.roll_up() == 0
    assert rollup.roll_up(rebuild=True) == rows
