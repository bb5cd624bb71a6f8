"""Reads: figures, overdue lists, the resident's tracking lookup, the public list.

Figures are computed for the *cohort of reports received* in the period
(``created_at`` between ``start`` and ``end`` inclusive, Asia/Shanghai days):

- received: all reports of the period except those rejected as spam (无效信息);
- resolved: those that have reached 已办结 at least once;
- resolved_on_time: resolved no later than the end of their deadline day;
- rated / satisfied: rated by the resident / rated 满意 or 基本满意;
- on_time_rate = resolved_on_time / resolved, satisfaction_rate = satisfied / rated,
  as percentages with one decimal, or ``None`` when there is nothing to divide by.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Complaint, ComplaintEvent, Rating, RejectReason, State
from .privacy import phone_matches_last4
from .references import normalise_reference


@dataclass(frozen=True)
class ComplaintFigures:
    received: int
    resolved: int
    resolved_on_time: int
    on_time_rate: Decimal | None
    rated: int
    satisfied: int
    satisfaction_rate: Decimal | None


def percentage(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_AGGREGATES = {
    "received": Count("pk"),
    "resolved": Count("pk", filter=Q(resolved_at__isnull=False)),
    "resolved_on_time": Count("pk", filter=Q(resolved_on_time=True)),
    "rated": Count("pk", filter=~Q(rating="")),
    "satisfied": Count("pk", filter=Q(rating__in=(Rating.SATISFIED, Rating.BASICALLY))),
}


# Figures are statistics over every report: shared by all visitors and at most this
# old (a new report purges nothing; at 100,000 reports one set cost ~60 ms of SQL).
FIGURES_SECONDS = 60


def shared_figures(name: str, build):
    from portal.cache import shared_fragment  # portal sits above the apps

    return shared_fragment(f"figures:{name}", build, seconds=FIGURES_SECONDS)


def _period(queryset: QuerySet, *, start: date, end: date) -> QuerySet:
    return queryset.filter(created_at__date__gte=start, created_at__date__lte=end).exclude(
        state=State.REJECTED, reject_reason=RejectReason.SPAM
    )


def _figures(row: dict) -> ComplaintFigures:
    return ComplaintFigures(
        received=row["received"],
        resolved=row["resolved"],
        resolved_on_time=row["resolved_on_time"],
        on_time_rate=percentage(row["resolved_on_time"], row["resolved"]),
        rated=row["rated"],
        satisfied=row["satisfied"],
        satisfaction_rate=percentage(row["satisfied"], row["rated"]),
    )


def complaint_figures(*, communities: Iterable | QuerySet, start: date, end: date) -> ComplaintFigures:
    """Figures for one or several communities (objects, ids or a queryset); one query."""
    queryset = _period(Complaint.objects.filter(community__in=communities), start=start, end=end)
    return _figures(queryset.aggregate(**_AGGREGATES))


def complaint_figures_by_community(
    *, communities: QuerySet, start: date, end: date
) -> dict[int, ComplaintFigures]:
    """The same figures per community, in one query; communities without reports get zeros."""
    queryset = _period(Complaint.objects.filter(community__in=communities), start=start, end=end)
    rows = {row["community"]: row for row in queryset.values("community").order_by().annotate(**_AGGREGATES)}
    empty = dict.fromkeys(_AGGREGATES, 0)
    return {c.pk: _figures(rows.get(c.pk, empty)) for c in communities}


def overdue_complaints(*, queryset: QuerySet | None = None, today: date | None = None) -> QuerySet:
    return (queryset if queryset is not None else Complaint.objects.all()).overdue(today=today)


@dataclass(frozen=True)
class QueueSummary:
    waiting: int  # to be dispatched: submitted and not held
    held: int  # submitted from a blocked phone: not dispatched until a moderator releases it
    overdue: int
    resolved_this_month: int
    month: ComplaintFigures


def queue_summary(*, queryset: QuerySet, today: date | None = None) -> QueueSummary:
    """What the dashboard panel shows for the complaints a staff member can see."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    counts = queryset.aggregate(
        waiting=Count("pk", filter=Q(state=State.SUBMITTED, held=False)),
        held=Count("pk", filter=Q(state=State.SUBMITTED, held=True)),
        overdue=Count(
            "pk",
            filter=Q(state__in=(State.DISPATCHED, State.IN_PROGRESS, State.REOPENED), deadline__lt=today),
        ),
        resolved_this_month=Count(
            "pk", filter=Q(resolved_at__date__gte=month_start, resolved_at__date__lte=today)
        ),
    )
    month = _figures(_period(queryset, start=month_start, end=today).aggregate(**_AGGREGATES))
    return QueueSummary(month=month, **counts)


def find_complaint_for_tracking(*, reference: str, phone_last4: str) -> Complaint | None:
    """The one place a resident's reference + last-four lookup happens (rate-limit it here)."""
    complaint = Complaint.objects.filter(reference=normalise_reference(reference)).first()
    if complaint is None or not phone_matches_last4(complaint.phone, (phone_last4 or "").strip()):
        return None
    return complaint


def complaint_by_token(*, token: str) -> Complaint | None:
    return (
        Complaint.objects.select_related("category", "community", "handling_unit", "duplicate_of")
        .filter(tracking_token=token)
        .first()
    )


def public_timeline(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return complaint.events.filter(public=True).order_by("at", "pk")


def public_complaints(*, community=None) -> QuerySet[Complaint]:
    queryset = Complaint.objects.publicly_visible().select_related("category", "community", "handling_unit")
    if community is not None:
        queryset = queryset.filter(community=community)
    return queryset.order_by("-created_at")
