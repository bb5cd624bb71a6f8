"""Warning lights (红灯 / 黄灯) on dispatched tickets, counted in working days.

The rules, with thresholds in ``settings.DISPATCH_LIGHTS`` (working days):

- **red** when the ticket is overdue (its deadline's last day has passed), or it was
  dispatched and nobody signed for it (or answered) within ``sign_within`` working days
  after the day of dispatch;
- **yellow** when it is due within ``due_within`` working days (today counts), or it has
  had no progress (dispatch, signing, a public update or note) for ``stale_after`` whole
  working days.

Red wins over yellow. Only open tickets (dispatched, in progress, reopened) have a light.
A rule whose cut-off needs a year the official calendar is missing (``workdays``) is not
applied until the year is entered; overdue needs no calendar and always applies.

Every rule becomes a date cut-off computed once for ``now`` (``Cutoffs``), so the same
rule serves one ticket (:func:`light_for`) and a list (:func:`with_lights`, a ``CASE``
annotation: no query per row). A colour always comes with its text (``LIGHT_TEXT``):
colour alone tells nothing to a colour-blind reader or a printout.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, CharField, Count, DateTimeField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from .models import OPEN_STATES, Complaint, State
from .workdays import SHANGHAI, CalendarMissing, add_working_days, is_workday

RED, YELLOW = "red", "yellow"
OVERDUE, UNSIGNED, DUE_SOON, STALE = "overdue", "unsigned", "due_soon", "stale"
COLOUR = {OVERDUE: RED, UNSIGNED: RED, DUE_SOON: YELLOW, STALE: YELLOW}


def thresholds() -> dict[str, int]:
    configured = getattr(settings, "DISPATCH_LIGHTS", {})
    return {
        "sign_within": int(configured.get("sign_within", 1)),
        "due_within": int(configured.get("due_within", 1)),
        "stale_after": int(configured.get("stale_after", 3)),
    }


def reason_text(reason: str) -> str:
    t = thresholds()
    return {
        OVERDUE: "红灯：已超期",
        UNSIGNED: f"红灯：超过 {t['sign_within']} 个工作日未签收",
        DUE_SOON: f"黄灯：{t['due_within']} 个工作日内到期",
        STALE: f"黄灯：{t['stale_after']} 个工作日无进展",
    }.get(reason, "")


def _working_day_before(today: date, count: int) -> date:
    """The ``count``-th working day before ``today`` (today itself not counted)."""
    day, left = today, count
    while left:
        day -= timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Cutoffs:
    today: date
    # Dispatched before this moment and not signed: red (a whole working day has passed).
    unsigned_before: datetime | None
    # Deadline on or before this day (and not past): yellow.
    due_by: date | None
    # Last progress before this moment: yellow.
    stale_before: datetime | None

    @classmethod
    def at(cls, now: datetime | None = None) -> "Cutoffs":
        now = now or timezone.now()
        today = timezone.localtime(now, SHANGHAI).date()
        t = thresholds()
        # "Within n working days after the day of dispatch": dispatched on day d, late once
        # the n-th working day after d has ended, i.e. when d is before the n-th working
        # day before today.
        return cls(
            today=today,
            unsigned_before=_known(lambda: _start_of(_working_day_before(today, t["sign_within"]))),
            # Today counts as the first: due within 1 working day = due today or the next working day.
            due_by=_known(lambda: add_working_days(start=today, days=t["due_within"])),
            stale_before=_known(lambda: _start_of(_working_day_before(today, t["stale_after"]))),
        )


def _known(cutoff):
    """A cut-off, or None while the calendar it needs is missing (its rule is not applied)."""
    try:
        return cutoff()
    except CalendarMissing:
        return None


def _last_progress(complaint: Complaint) -> datetime | None:
    moments = [m for m in (complaint.dispatched_at, complaint.signed_at, complaint.last_progress_at) if m]
    return max(moments) if moments else None


def light_reason(complaint: Complaint, *, now: datetime | None = None) -> str:
    """``overdue``, ``unsigned``, ``due_soon``, ``stale`` or ``""`` for one ticket."""
    if complaint.state not in OPEN_STATES:
        return ""
    c = Cutoffs.at(now)
    if complaint.deadline is not None and complaint.deadline < c.today:
        return OVERDUE
    unanswered = complaint.state != State.IN_PROGRESS and complaint.signed_at is None
    if (
        unanswered
        and complaint.dispatched_at
        and c.unsigned_before
        and complaint.dispatched_at < c.unsigned_before
    ):
        return UNSIGNED
    if complaint.deadline is not None and c.due_by and complaint.deadline <= c.due_by:
        return DUE_SOON
    last = _last_progress(complaint)
    if last is not None and c.stale_before and last < c.stale_before:
        return STALE
    return ""


def light_for(complaint: Complaint, *, now: datetime | None = None) -> tuple[str, str]:
    """(colour, text) for one ticket; ("", "") when it has no light."""
    reason = light_reason(complaint, now=now)
    return (COLOUR.get(reason, ""), reason_text(reason))


def with_lights(queryset: QuerySet[Complaint], *, now: datetime | None = None) -> QuerySet[Complaint]:
    """Annotate ``light_reason`` and ``light`` (colour) by the same rules, in the query."""
    c = Cutoffs.at(now)
    open_q = Q(state__in=OPEN_STATES)
    last = Greatest(
        F("dispatched_at"),
        Coalesce("signed_at", "dispatched_at"),
        Coalesce("last_progress_at", "dispatched_at"),
        output_field=DateTimeField(),
    )
    rules = [When(open_q & Q(deadline__lt=c.today), then=Value(OVERDUE))]
    if c.unsigned_before is not None:
        rules.append(
            When(
                open_q
                & ~Q(state=State.IN_PROGRESS)
                & Q(signed_at__isnull=True, dispatched_at__lt=c.unsigned_before),
                then=Value(UNSIGNED),
            )
        )
    if c.due_by is not None:
        rules.append(When(open_q & Q(deadline__lte=c.due_by), then=Value(DUE_SOON)))
    if c.stale_before is not None:
        rules.append(When(open_q & Q(last_progress_moment__lt=c.stale_before), then=Value(STALE)))
    reason = Case(*rules, default=Value(""), output_field=CharField())
    colour = Case(
        When(light_reason__in=(OVERDUE, UNSIGNED), then=Value(RED)),
        When(light_reason__in=(DUE_SOON, STALE), then=Value(YELLOW)),
        default=Value(""),
        output_field=CharField(),
    )
    return queryset.annotate(last_progress_moment=last).annotate(light_reason=reason).annotate(light=colour)


def lit(queryset: QuerySet[Complaint], colour: str, *, now: datetime | None = None) -> QuerySet[Complaint]:
    """Only the tickets with a ``colour`` light (``red`` or ``yellow``)."""
    return with_lights(queryset, now=now).filter(light=colour)


def light_counts(queryset: QuerySet[Complaint], *, now: datetime | None = None) -> dict[str, int]:
    """How many red and how many yellow, in one query."""
    return with_lights(queryset.filter(state__in=OPEN_STATES), now=now).aggregate(
        red=Count("pk", filter=Q(light=RED)), yellow=Count("pk", filter=Q(light=YELLOW))
    )
