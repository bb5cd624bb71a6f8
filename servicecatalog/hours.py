"""Opening hours of stations: is a station open at a given moment?

Rules (all times are Asia/Shanghai wall-clock times):

- A week is a set of spans ``(weekday, opens, closes)``; weekday 0 is Monday.
- A weekday without any span is a closed day.
- A span whose ``closes`` is not after ``opens`` runs overnight into the next
  day: Monday 20:00–02:00 is open on Tuesday at 01:00 (and 22:00–00:00 means
  "until midnight").
- A station marked 24 hours is always open, whatever its spans say.
- A suspended station (暂停) is never open.

Everything here is a pure function of its arguments, ``now`` included, so the
rules can be tested with fixed datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


@dataclass(frozen=True)
class Span:
    weekday: int
    opens: time
    closes: time

    @property
    def overnight(self) -> bool:
        return self.closes <= self.opens

    def label(self) -> str:
        closes = self.closes.strftime("%H:%M")
        if self.overnight:
            closes = "24:00" if self.closes == time(0) else f"次日 {closes}"
        return f"{self.opens:%H:%M}–{closes}"


@dataclass(frozen=True)
class OpenState:
    is_open: bool
    # When open: the wall-clock label of the moment it closes ("22:00", "次日 02:00");
    # empty for 24-hour stations.
    until: str = ""


def local_time(now: datetime) -> datetime:
    """``now`` as Shanghai wall-clock time; a naive datetime is taken to be Shanghai time."""
    if now.tzinfo is None:
        return now.replace(tzinfo=SHANGHAI)
    return now.astimezone(SHANGHAI)


def open_state(*, spans: Iterable[Span], always_open: bool, suspended: bool, now: datetime) -> OpenState:
    if suspended:
        return OpenState(False)
    if always_open:
        return OpenState(True)
    local = local_time(now)
    weekday, moment = local.weekday(), local.time()
    yesterday = (weekday - 1) % 7
    for span in spans:
        if not span.overnight:
            if span.weekday == weekday and span.opens <= moment < span.closes:
                return OpenState(True, f"{span.closes:%H:%M}")
            continue
        if span.weekday == weekday and moment >= span.opens:
            until = "24:00" if span.closes == time(0) else f"次日 {span.closes:%H:%M}"
            return OpenState(True, until)
        if span.weekday == yesterday and moment < span.closes:
            return OpenState(True, f"{span.closes:%H:%M}")
    return OpenState(False)


def is_open(*, spans: Iterable[Span], always_open: bool, suspended: bool, now: datetime) -> bool:
    return open_state(spans=spans, always_open=always_open, suspended=suspended, now=now).is_open


def week_table(*, spans: Iterable[Span]) -> list[tuple[str, list[str]]]:
    """Rows "周一 → ['08:30–12:00', '14:00–17:30']" for display; an empty list is a closed day."""
    by_day: dict[int, list[Span]] = {day: [] for day in range(7)}
    for span in spans:
        by_day[span.weekday].append(span)
    return [
        (WEEKDAYS[day], [s.label() for s in sorted(by_day[day], key=lambda s: s.opens)]) for day in range(7)
    ]
