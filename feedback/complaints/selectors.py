"""Reads: figures, overdue lists, the resident's tracking lookup, the public board, scopes.

Figures are computed for the *cohort of reports received* in the period
(``created_at`` between ``start`` and ``end`` inclusive, Asia/Shanghai days):

- received: all reports of the period except those rejected as spam (无效信息);
- resolved: those resolved now (已办结 or closed after it); a report the resident
  reopened as 不满意 is not resolved until staff resolve it again;
- resolved_on_time: resolved no later than the end of their deadline day;
- rated / satisfied: rated by the resident / rated 满意 or 基本满意;
- on_time_rate = resolved_on_time / resolved, satisfaction_rate = satisfied / rated,
  as percentages with one decimal, or ``None`` when there is nothing to divide by.

Figures are statistics over every report, the same for every visitor: they are kept in
the cache for ``FIGURES_SECONDS`` (a new report purges nothing). Rows residents read
(the public board, the tracking page) are always read live.
"""

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from home.models import Community
from portal.chinese import content_words
from portal.personal_data import normalise_phone

from ..common.figures import on_days, percentage
from ..common.privacy import phone_matches_last4
from ..common.scopes import communities_for, unit_ids_for
from ..evaluations.selectors import EvaluationFigures, evaluation_figures_by_community
from ..trust.retention import held_retention_days, retention_days, unfinished_retention_days
from .models import (
    OPEN_STATES,
    Complaint,
    ComplaintEvent,
    ComplaintFollower,
    ComplaintPhoto,
    ExtensionDecision,
    ExtensionRequest,
    RejectReason,
    State,
)
from .references import normalise_reference
from .rollup import COUNTS, period_counts
from .workflow import deadline_after


@dataclass(frozen=True)
class ComplaintFigures:
    received: int
    resolved: int
    resolved_on_time: int
    on_time_rate: Decimal | None
    rated: int
    satisfied: int
    satisfaction_rate: Decimal | None


# The counts behind every figure (``rollup`` keeps them per day for past days).
_AGGREGATES = COUNTS


# How old cached figures may be (at 100,000 reports one set cost ~60 ms of SQL).
FIGURES_SECONDS = 60


def _figures_key(name: str, *parts) -> str:
    # Hashed: a cache key must be short ASCII whatever the parts are.
    digest = hashlib.md5(":".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()
    return f"feedback:{name}:{digest}"


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
    """Figures for one or several communities (objects, ids or a queryset): past days
    from the daily rollup, the rest live (``rollup.period_counts``, up to three queries)."""
    return _figures(period_counts(communities=communities, start=start, end=end))


def complaint_figures_by_community(
    *, communities: QuerySet, start: date, end: date
) -> dict[int, ComplaintFigures]:
    """The same figures per community (as many queries as ``complaint_figures``);
    communities without reports get zeros."""
    rows = period_counts(communities=communities, start=start, end=end, by_community=True)
    empty = dict.fromkeys(_AGGREGATES, 0)
    return {c.pk: _figures(rows.get(c.pk, empty)) for c in communities}


def complaint_figures_for(community, start: date, end: date) -> ComplaintFigures | None:
    """``complaint_figures`` of one community and period, from the cache or one query
    (what a report to residents shows)."""
    if community is None or not start or not end:
        return None
    return cache.get_or_set(
        _figures_key("complaint-figures", community.pk, start, end),
        lambda: complaint_figures(communities=[community], start=start, end=end),
        FIGURES_SECONDS,
    )


def board_figures(
    *, communities: list[Community], community: Community | None, start: date, end: date
) -> list[tuple[Community, ComplaintFigures, EvaluationFigures]]:
    """The public board's table: reports' and evaluations' figures of each community
    shown (``community`` alone, or all of ``communities``), from the cache or two queries."""
    shown = [community] if community else communities

    def build() -> dict[int, tuple[ComplaintFigures, EvaluationFigures]]:
        figures = complaint_figures_by_community(communities=shown, start=start, end=end)
        ratings = evaluation_figures_by_community(communities=shown, start=start, end=end)
        return {c.pk: (figures[c.pk], ratings[c.pk]) for c in shown}

    key = _figures_key("board-figures", community.pk if community else "all", start, end)
    rows = cache.get_or_set(key, build, FIGURES_SECONDS)
    if any(c.pk not in rows for c in shown):  # a community added since: count again
        rows = build()
        cache.set(key, rows, FIGURES_SECONDS)
    return [(c, *rows[c.pk]) for c in shown]


def overdue_complaints(*, queryset: QuerySet | None = None, today: date | None = None) -> QuerySet:
    return (queryset if queryset is not None else Complaint.objects.all()).overdue(today=today)


@dataclass(frozen=True)
class UnitOverdue:
    unit_id: int
    name: str
    overdue: int


@dataclass(frozen=True)
class QueueSummary:
    waiting: int  # to be dispatched: submitted and not held
    held: int  # submitted from a blocked phone: not dispatched until a moderator releases it
    overdue: int
    due_today: int
    due_tomorrow: int
    resolved_this_month: int
    resolved_last_30_days: int
    month: ComplaintFigures  # reports received since the 1st of this month
    last_30_days: ComplaintFigures  # reports received in the 30 days up to today
    month_start: date
    window_start: date
    overdue_by_unit: list[UnitOverdue]


WINDOW_DAYS = 30


def _cohort_aggregates(prefix: str, *, start: date, end: date) -> dict:
    """``_AGGREGATES`` restricted to the reports received from ``start`` to ``end``
    (spam excluded, as ``rollup.counted``), so several periods are counted in one query."""
    period = on_days("created_at", start, end) & ~Q(state=State.REJECTED, reject_reason=RejectReason.SPAM)
    return {
        f"{prefix}{name}": Count("pk", filter=period & (aggregate.filter or Q()))
        for name, aggregate in _AGGREGATES.items()
    }


def _unprefixed(row: dict, prefix: str) -> dict:
    return {name: row[f"{prefix}{name}"] for name in _AGGREGATES}


def queue_summary(*, queryset: QuerySet, today: date | None = None) -> QueueSummary:
    """What the dashboard panel shows for the complaints a staff member can see, in two
    queries whatever the number of reports and units: the counts, and overdue per unit."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    window_start = today - timedelta(days=WINDOW_DAYS - 1)
    open_states = Q(state__in=OPEN_STATES)
    since = min(month_start, window_start)
    # Only these rows can be counted below: reading just them keeps the panel's time
    # that of the open and recent reports, not of every report ever received.
    counted = (
        Q(state=State.SUBMITTED)
        | open_states
        | on_days("created_at", since, today)
        | on_days("resolved_at", since, today)
    )
    row = queryset.filter(counted).aggregate(
        waiting=Count("pk", filter=Q(state=State.SUBMITTED, held=False)),
        held=Count("pk", filter=Q(state=State.SUBMITTED, held=True)),
        overdue=Count("pk", filter=open_states & Q(deadline__lt=today)),
        due_today=Count("pk", filter=open_states & Q(deadline=today)),
        due_tomorrow=Count("pk", filter=open_states & Q(deadline=today + timedelta(days=1))),
        resolved_this_month=Count("pk", filter=on_days("resolved_at", month_start, today)),
        resolved_last_30_days=Count("pk", filter=on_days("resolved_at", window_start, today)),
        **_cohort_aggregates("month_", start=month_start, end=today),
        **_cohort_aggregates("window_", start=window_start, end=today),
    )
    by_unit = (
        queryset.overdue(today=today)
        .values("handling_unit", "handling_unit__name")
        .order_by()
        .annotate(n=Count("pk"))
        .order_by("-n", "handling_unit__name")
    )
    counts = {name: row[name] for name in (
        "waiting", "held", "overdue", "due_today", "due_tomorrow", "resolved_this_month", "resolved_last_30_days",
    )}  # fmt: skip
    return QueueSummary(
        month=_figures(_unprefixed(row, "month_")),
        last_30_days=_figures(_unprefixed(row, "window_")),
        month_start=month_start,
        window_start=window_start,
        overdue_by_unit=[
            UnitOverdue(unit_id=r["handling_unit"], name=r["handling_unit__name"] or "未指定", overdue=r["n"])
            for r in by_unit
        ],
        **counts,
    )


def find_complaint_for_tracking(*, reference: str, phone_last4: str) -> Complaint | None:
    """The one place a resident's reference + last-four lookup happens (rate-limit it here)."""
    complaint = Complaint.objects.filter(reference=normalise_reference(reference)).first()
    if complaint is None or not phone_matches_last4(complaint.phone, normalise_phone(phone_last4)):
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


# What a public board row shows: the approved public text, never the description
# (names, phone numbers and the resident's own words are not even read).
PUBLIC_ROW_FIELDS = (
    "kind", "state", "created_at", "resolved_at", "public_text", "reply",
    "category__name", "community__name", "handling_unit__name",
)  # fmt: skip


def follower_count():
    """An annotation: how many pressed 我也遇到 on each report (a subquery, so the rows
    need no GROUP BY)."""
    counts = (
        ComplaintFollower.objects.filter(complaint=OuterRef("pk"))
        .order_by()
        .values("complaint")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def public_photos() -> QuerySet[ComplaintPhoto]:
    """Photos a moderator marked public, of reports on the public board."""
    return ComplaintPhoto.objects.filter(
        public=True, complaint__in=Complaint.objects.publicly_visible().values("pk")
    )


def public_board_rows(*, community=None) -> QuerySet[Complaint]:
    """The public board's rows, live: a hidden report or a new reply shows at once.
    Each row carries ``follower_count`` (我也遇到) from the same query."""
    return (
        public_complaints(community=community)
        .only(*PUBLIC_ROW_FIELDS, "public_code")
        .annotate(follower_count=follower_count())
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=ComplaintPhoto.objects.filter(public=True).only(
                    "pk", "complaint_id", "width", "height"
                ),
                to_attr="public_photos",
            )
        )
    )


def public_complaint(*, code: str) -> Complaint | None:
    """The report whose public page is ``/feedback/public/<code>/``, if it is on the public
    board now (a report hidden since is gone at once: the page is read live, as the
    board), with ``follower_count`` and its public photos, in two queries."""
    return (
        public_board_rows()
        .only(
            *PUBLIC_ROW_FIELDS, "public_code", "place", "deadline", "latitude", "longitude", "community__slug"
        )
        .filter(public_code=code)
        .first()
    )


def public_code_for_reference(*, reference: str) -> str | None:
    """The public code of the report with this (normalised) reference, if it is on the
    public board now; None otherwise (the same answer for an unknown reference)."""
    return (
        Complaint.objects.publicly_visible()
        .filter(reference=reference)
        .exclude(public_code="")
        .values_list("public_code", flat=True)
        .first()
    )


def public_timeline_for_page(*, complaint: Complaint) -> list[ComplaintEvent]:
    """The public timeline as the public page shows it: staff's notes (masked there), not
    what the resident wrote (a rating comment is theirs, and was never moderated)."""
    events = list(public_timeline(complaint=complaint).only("at", "title", "note", "actor_id"))
    for event in events:
        if event.actor_id is None:
            event.note = ""
    return events


def followers_to_notify(*, complaint: Complaint) -> QuerySet[ComplaintFollower]:
    """Who pressed 我也遇到 on ``complaint`` and asked to be told of its updates (with a
    phone and their consent recorded): what a notifier sends to, besides the resident."""
    return complaint.followers.filter(notify=True).exclude(phone="").order_by("pk")


@dataclass(frozen=True)
class FollowerSummary:
    total: int
    notify: int  # of whom asked to be told of updates


def follower_summary(*, complaint: Complaint) -> FollowerSummary:
    """What staff see of 我也遇到 on a report, in one query."""
    row = complaint.followers.aggregate(total=Count("pk"), notify=Count("pk", filter=Q(notify=True)))
    return FollowerSummary(total=row["total"], notify=row["notify"])


def follower_for_device(*, complaint: Complaint, device_key: str) -> ComplaintFollower | None:
    """This device's 我也遇到 on ``complaint``, if it pressed it."""
    if not device_key:
        return None
    return complaint.followers.filter(device_key=device_key).only("notify").first()


# Similar reports (offered before a new one): open, on the board, same community and
# category, sharing at least SIMILAR_MIN_WORDS meaningful words with what is being typed,
# or one word when both places are within SIMILAR_NEAR_METRES. Only the approved public
# text is compared, and only the newest SIMILAR_CANDIDATES are read (one query).
SIMILAR_MIN_WORDS = 2
SIMILAR_NEAR_METRES = 300
SIMILAR_CANDIDATES = 100
SIMILAR_LIMIT = 3
# Words every report of a community uses; sharing them says nothing.
SIMILAR_STOPWORDS = frozenset(
    "问题 反映 希望 解决 处理 尽快 及时 麻烦 谢谢 现在 已经 一直 没有 我们 这个 那个 居民 小区 社区 "
    "情况 影响 严重 很多 非常 出现 发现 附近 这里 那里".split()
)


@dataclass(frozen=True)
class SimilarComplaint:
    complaint: Complaint
    shared_words: int
    nearby: bool


def _metres_apart(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance (haversine); metres are all the rule needs."""
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (lat1, lng1, lat2, lng2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def similar_public_complaints(
    *,
    category,
    community,
    text: str,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    limit: int = SIMILAR_LIMIT,
) -> list[SimilarComplaint]:
    """Open public reports that look like the one being typed, best first (nearby, then
    more shared words, then newest); at most ``limit``, in one query."""
    words = content_words(text) - SIMILAR_STOPWORDS
    if not words or category is None or community is None:
        return []
    candidates = (
        public_board_rows(community=community)
        .filter(category=category, state__in=OPEN_STATES)
        .only(*PUBLIC_ROW_FIELDS, "public_code", "latitude", "longitude")
        .prefetch_related(None)[:SIMILAR_CANDIDATES]
    )
    found = []
    for candidate in candidates:
        shared = len(words & content_words(candidate.public_text))
        nearby = (
            latitude is not None
            and longitude is not None
            and candidate.latitude is not None
            and candidate.longitude is not None
            and _metres_apart(latitude, longitude, candidate.latitude, candidate.longitude)
            <= SIMILAR_NEAR_METRES
        )
        if shared >= SIMILAR_MIN_WORDS or (nearby and shared >= 1):
            found.append(SimilarComplaint(complaint=candidate, shared_words=shared, nearby=nearby))
    found.sort(key=lambda s: (s.nearby, s.shared_words, s.complaint.created_at), reverse=True)
    return found[:limit]


def promised_deadline(*, complaint: Complaint, start: date | None = None) -> date:
    """The day a report is promised an answer by: its category's time limit counted
    from ``start`` (the dispatch day), by default from the day it was received."""
    start = start or timezone.localdate(complaint.created_at)
    return deadline_after(start=start, days=complaint.category.default_days)


def complaints_for(user) -> QuerySet[Complaint]:
    """The reports of the user's communities (``common.scopes``)."""
    if user.is_superuser:
        return Complaint.objects.all()
    return Complaint.objects.filter(community__in=communities_for(user).values("pk"))


def unit_complaints_for(user) -> QuerySet[Complaint]:
    """What is dispatched to the user's handling units (我的待办), whatever the community."""
    if not user.is_active or not user.has_perm("feedback.handle_unit_complaint"):
        return Complaint.objects.none()
    return Complaint.objects.filter(handling_unit__in=unit_ids_for(user))


def unit_todo(user) -> QuerySet[Complaint]:
    """我的待办: the unit's open tickets, those not yet signed first, then by deadline."""
    return (
        unit_complaints_for(user)
        .filter(state__in=OPEN_STATES)
        .select_related("category", "community", "handling_unit", "assignee", "signed_by")
        .order_by(F("signed_at").asc(nulls_first=True), "deadline", "pk")
    )


def pending_extension_requests(user) -> QuerySet:
    """Extension requests a moderator of these communities has to decide."""
    return (
        ExtensionRequest.objects.filter(
            decision=ExtensionDecision.PENDING, complaint__in=complaints_for(user).values("pk")
        )
        .select_related("complaint", "complaint__handling_unit", "requested_by")
        .order_by("requested_at")
    )


def assignable_users(complaint: Complaint, *, unit_only: bool = False) -> QuerySet:
    """Whom a ticket may be assigned to (分配): the active members of its unit who hold the
    unit role and, unless ``unit_only``, the staff handling reports of its community
    (street office or community, by ``StaffScope``). The rule ``services.assign_complaint``
    checks, as one query for a select."""
    from django.contrib.auth import get_user_model

    def holding(codename: str) -> Q:
        return (
            Q(is_superuser=True)
            | Q(
                groups__permissions__codename=codename,
                groups__permissions__content_type__app_label="feedback",
            )
            | Q(user_permissions__codename=codename, user_permissions__content_type__app_label="feedback")
        )

    wanted = Q(handling_units=complaint.handling_unit_id) & holding("handle_unit_complaint")
    if complaint.handling_unit_id is None:
        wanted = Q(pk__in=[])
    if not unit_only:
        covering = (
            Q(feedback_scope__all_communities=True)
            | Q(feedback_scope__communities=complaint.community_id)
            | Q(feedback_scope__streets=complaint.community.street_id)
        )
        wanted |= covering & holding("change_complaint")
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(pk__in=users.filter(wanted).values("pk")).order_by("username")


def user_covers(user, complaint: Complaint) -> bool:
    return communities_for(user).filter(pk=complaint.community_id).exists()


def can_moderate(user) -> bool:
    return user.is_active and user.has_perm("feedback.change_complaint")


FINISHED_STATES = (State.CLOSED, State.REJECTED)


def expired_complaints(
    *,
    now: datetime | None = None,
    days: int | None = None,
    unfinished_days: int | None = None,
    held_days: int | None = None,
) -> QuerySet[Complaint]:
    """Not yet anonymised, and untouched for longer than the retention period of where
    the report stopped: finished (``days``), unfinished or held (``feedback.trust.retention``)."""
    now = now or timezone.now()

    def cutoff(value: int | None, default) -> datetime:
        return now - timedelta(days=default() if value is None else value)

    finished = Q(state__in=FINISHED_STATES)
    expired = (
        (Q(held=False) & finished & Q(last_change__lt=cutoff(days, retention_days)))
        | (Q(held=False) & ~finished & Q(last_change__lt=cutoff(unfinished_days, unfinished_retention_days)))
        | (Q(held=True) & Q(last_change__lt=cutoff(held_days, held_retention_days)))
    )
    return (
        Complaint.objects.filter(anonymised_at__isnull=True)
        .annotate(last_change=Coalesce(Max("events__at"), "created_at"))
        .filter(expired)
        .order_by("pk")
    )


def complaints_of_phone(*, phone: str) -> QuerySet[Complaint]:
    """Every report sent from ``phone`` whose personal data is still kept (我的反映)."""
    return (
        Complaint.objects.filter(phone=phone, anonymised_at__isnull=True)
        .select_related("category", "community")
        .order_by("-created_at")
    )
