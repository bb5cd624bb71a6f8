"""Figures over long periods from a daily rollup instead of every report.

A figure counts the *cohort* of reports received in a period (see ``selectors``). At a
million reports a year's figures summed ~300,000 rows per request; here the past days'
counts are kept in ``ComplaintDailyFigure`` (one row per local day × community ×
category × kind, spam excluded) and a period reads:

- the rolled-up days (up to :func:`rolled_up_through`, the last day rolled up) from
  the rollup, a few thousand rows for a year;
- the days after it (today, and any day the nightly command has not reached yet)
  live from the reports, through the ``(community, created_at)`` index.

So a figure is right whether or not the rollup was ever built; it is only faster when
it was. The rollup stays right because a report of a rolled-up day can change only
through ``services._move`` (every state change goes through it), which calls
:func:`refresh_for`; ``manage.py rollup_complaint_figures`` rolls up the days since the
last run (cron, after midnight), and ``--rebuild`` everything (after an import that
wrote reports with past dates around the services).
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from ..common.figures import local_midnight, on_days
from .models import Complaint, ComplaintDailyFigure, Rating, RejectReason, State

# The counts behind every figure, over reports; the rollup stores one column of each.
COUNTS = {
    "received": Count("pk"),
    "resolved": Count("pk", filter=Q(resolved_at__isnull=False)),
    "resolved_on_time": Count("pk", filter=Q(resolved_on_time=True)),
    "rated": Count("pk", filter=~Q(rating="")),
    "satisfied": Count("pk", filter=Q(rating__in=(Rating.SATISFIED, Rating.BASICALLY))),
}
SUMS = {name: Coalesce(Sum(name), 0) for name in COUNTS}
GROUP = ("community", "category", "kind")
BATCH = 5000


def counted(queryset: QuerySet) -> QuerySet:
    """The reports a figure counts: all but those rejected as spam (无效信息)."""
    return queryset.exclude(state=State.REJECTED, reject_reason=RejectReason.SPAM)


def rolled_up_through() -> date | None:
    """The last day in the rollup (``None`` before it was ever built): every day up to
    it is rolled up, the days after it are counted live."""
    return ComplaintDailyFigure.objects.aggregate(day=Max("day"))["day"]


def period_counts(*, communities, start: date, end: date, by_community: bool = False) -> dict:
    """The counts of ``COUNTS`` for the reports of ``communities`` received from
    ``start`` to ``end``: one dict, or one per community id when ``by_community``.
    Two or three queries: the rollup's last day, the rolled-up days, the live days."""
    through = rolled_up_through()
    parts = []
    live_from = start
    if through is not None and through >= start:
        upto = min(end, through)
        rows = ComplaintDailyFigure.objects.filter(community__in=communities, day__gte=start, day__lte=upto)
        parts.append(_grouped(rows, SUMS, by_community))
        live_from = upto + timedelta(days=1)
    if live_from <= end:
        live = counted(Complaint.objects.filter(community__in=communities)).filter(
            on_days("created_at", live_from, end)
        )
        parts.append(_grouped(live, COUNTS, by_community))
    if not by_community:
        return {name: sum(part.get(name, 0) for part in parts) for name in COUNTS}
    total: dict[int, dict] = {}
    for part in parts:
        for community_id, row in part.items():
            into = total.setdefault(community_id, dict.fromkeys(COUNTS, 0))
            for name in COUNTS:
                into[name] += row[name]
    return total


def _grouped(queryset: QuerySet, aggregates: dict, by_community: bool) -> dict:
    if not by_community:
        return queryset.aggregate(**aggregates)
    return {row["community"]: row for row in queryset.values("community").order_by().annotate(**aggregates)}


def _daily_rows(reports: QuerySet) -> list[ComplaintDailyFigure]:
    rows = (
        counted(reports)
        .annotate(day=TruncDate("created_at"))
        .values("day", *GROUP)
        .order_by()
        .annotate(**COUNTS)
    )
    return [
        ComplaintDailyFigure(
            day=row["day"],
            community_id=row["community"],
            category_id=row["category"],
            kind=row["kind"],
            **{name: row[name] for name in COUNTS},
        )
        for row in rows.iterator(chunk_size=BATCH)
    ]


def roll_up(*, rebuild: bool = False, through: date | None = None) -> int:
    """Roll up the days after the last rolled-up one (every day with ``rebuild``) up to
    ``through`` (yesterday by default; today is always counted live). Returns the
    number of rollup rows written."""
    through = through or timezone.localdate() - timedelta(days=1)
    last = None if rebuild else rolled_up_through()
    reports = Complaint.objects.filter(created_at__lt=local_midnight(through + timedelta(days=1)))
    with transaction.atomic():
        if last is None:
            ComplaintDailyFigure.objects.all().delete()
        else:
            reports = reports.filter(created_at__gte=local_midnight(last + timedelta(days=1)))
        rows = _daily_rows(reports)
        ComplaintDailyFigure.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def refresh_for(complaint: Complaint) -> None:
    """Count again the rolled-up day of ``complaint`` in its community (a report of a
    past day changed state). Nothing to do for a day still counted live."""
    day = timezone.localdate(complaint.created_at)
    through = rolled_up_through()
    if through is None or day > through:
        return
    same_day = Complaint.objects.filter(community_id=complaint.community_id).filter(
        on_days("created_at", day, day)
    )
    with transaction.atomic():
        ComplaintDailyFigure.objects.filter(day=day, community_id=complaint.community_id).delete()
        ComplaintDailyFigure.objects.bulk_create(_daily_rows(same_day))
