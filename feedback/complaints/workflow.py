"""The complaint state machine: which state may follow which, and deadlines.

``services`` is the only caller that changes a complaint's state; it asks
``ensure_transition`` first, so an illegal move raises ``TransitionError`` with a
Chinese message that views and the admin show as is.
"""

import math
from datetime import date, datetime, timedelta

from django.conf import settings

from .models import State
from .workdays import CalendarMissing, add_working_days, due_at

TRANSITIONS: dict[str, frozenset[str]] = {
    State.SUBMITTED: frozenset({State.DISPATCHED, State.REJECTED}),
    # Re-dispatching to another unit is allowed while nobody has started.
    State.DISPATCHED: frozenset({State.DISPATCHED, State.IN_PROGRESS, State.RESOLVED, State.REJECTED}),
    State.IN_PROGRESS: frozenset({State.RESOLVED}),
    State.RESOLVED: frozenset({State.CLOSED, State.REOPENED}),
    State.REOPENED: frozenset({State.DISPATCHED, State.IN_PROGRESS, State.RESOLVED}),
    State.CLOSED: frozenset(),
    State.REJECTED: frozenset(),
}

# States whose deadline may still be extended.
EXTENDABLE = frozenset({State.DISPATCHED, State.IN_PROGRESS, State.REOPENED})


class TransitionError(Exception):
    """A workflow rule refused the change; ``str(error)`` is shown to staff, next to the
    form field named by ``field`` when the rule is about one."""

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


def ensure_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise TransitionError(f"当前状态为“{State(current).label}”，不能变更为“{State(target).label}”。")


def allowed_targets(current: str) -> frozenset[str]:
    return TRANSITIONS.get(current, frozenset())


def deadline_after(*, start: date, days: int) -> date:
    """The last day to resolve: ``days`` working days after ``start`` (the start day is day 0).

    Counted by ``workdays`` on the official holiday and 调休 calendar; a year missing from
    it is refused with a message staff can act on, never counted as plain weekdays.
    """
    if days < 1:
        raise TransitionError("办理时限至少为 1 个工作日。")
    try:
        return add_working_days(start=start, days=days)
    except CalendarMissing as missing:
        raise TransitionError(str(missing)) from missing


# While the calendar lacks a year, a dispatch deadline is bounded in calendar days: the
# working days as weeks, plus the longest official holiday with its weekends (春节, 国庆:
# 8–9 days) and room for the 调休 around it.
MISSING_CALENDAR_SLACK_DAYS = 14


def latest_deadline(*, start: date, days: int) -> tuple[date, str]:
    """The latest deadline a dispatch on ``start`` may promise for a ``days``-working-day
    limit (a later date needs an extension, whose reason the resident sees), and why it is
    only estimated: "" when counted on the holiday calendar; the missing year's message
    when it is a calendar-day bound instead."""
    try:
        return deadline_after(start=start, days=days), ""
    except TransitionError as missing:
        return start + timedelta(days=math.ceil(days * 7 / 5) + MISSING_CALENDAR_SLACK_DAYS), str(missing)


def deadline_end(deadline: date) -> datetime:
    """A deadline date means the end of that day in Asia/Shanghai (``workdays.due_at``)."""
    return due_at(deadline)


def resolved_on_time(*, deadline: date | None, resolved_at: datetime) -> bool | None:
    if deadline is None:
        return None
    return resolved_at < deadline_end(deadline)


def close_unrated_after_days() -> int:
    return int(getattr(settings, "FEEDBACK_CLOSE_UNRATED_AFTER_DAYS", 7))
