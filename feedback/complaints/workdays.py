"""Working days (工作日) on China's official calendar: every deadline is counted here.

A handling unit's time limit is a number of working days, as on the city's 12345 line:
weekends and the State Council's public holidays do not count, and the make-up working
days of 调休 (a Saturday or Sunday worked in exchange for a longer holiday) do. The
calendar comes from the maintained ``chinesecalendar`` package, which knows each year
only once the State Council has published it (usually in November for the next year).

A year the package does not know is never guessed: counting it as plain weekdays would
promise residents a date in the middle of 春节. ``is_workday`` raises
``CalendarMissing`` for it, and the system check ``dispatch.E020`` (this year) /
``dispatch.W020`` (next year) says so on every ``manage.py`` start. Until the package is
upgraded, an operator may enter a newly published year in the setting
``FEEDBACK_EXTRA_CALENDAR``::

    FEEDBACK_EXTRA_CALENDAR = {
        2027: {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-06", ...]},
    }

(holidays: weekdays off; workdays: weekend days worked). A deadline date means the end
of that day in Asia/Shanghai (``due_at``).
"""

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


class CalendarMissing(Exception):
    """The official calendar of a year is not known; ``str(error)`` is shown to staff."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"系统缺少 {year} 年的法定节假日和调休安排，无法计算工作日办理时限；"
            "请管理员升级 chinesecalendar 或在 FEEDBACK_EXTRA_CALENDAR 中补充该年数据。"
        )


@cache
def _extra_year(year: int, spec: tuple) -> tuple[frozenset[date], frozenset[date]]:
    holidays, workdays = spec
    return frozenset(map(date.fromisoformat, holidays)), frozenset(map(date.fromisoformat, workdays))


def _extra(year: int):
    spec = getattr(settings, "FEEDBACK_EXTRA_CALENDAR", {}).get(year)
    if spec is None:
        return None
    return _extra_year(year, (tuple(spec.get("holidays", ())), tuple(spec.get("workdays", ()))))


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day in mainland China; raises ``CalendarMissing``."""
    extra = _extra(day.year)
    if extra is not None:
        holidays, workdays = extra
        return day in workdays or (day.weekday() < 5 and day not in holidays)
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarMissing(day.year) from None


def year_known(year: int) -> bool:
    try:
        is_workday(date(year, 6, 30))
    except CalendarMissing:
        return False
    return True


def add_working_days(*, start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is day 0, as the day
    a report is dispatched does not count, whatever kind of day it is)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end <= start``):
    the inverse of ``add_working_days``."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


def due_at(deadline: date) -> datetime:
    """A deadline date means the end of that (working) day in Asia/Shanghai: the next midnight."""
    return datetime.combine(deadline + timedelta(days=1), time.min, tzinfo=SHANGHAI)


@register()
def check_calendar_years(app_configs=None, **kwargs):
    """This year's calendar missing is an error: no deadline could be computed today.
    Next year's is a warning, shown on every start: deadlines set in December reach into
    it, so upgrade (or enter it) as soon as the State Council publishes it."""
    this_year = timezone.localdate().year
    found = []
    if not year_known(this_year):
        found.append(
            Error(
                f"The official holiday calendar of {this_year} is missing: working-day deadlines "
                "cannot be computed and dispatching fails.",
                hint="Upgrade chinesecalendar, or enter the year in FEEDBACK_EXTRA_CALENDAR.",
                id="dispatch.E020",
            )
        )
    if not year_known(this_year + 1):
        found.append(
            Warning(
                f"The official holiday calendar of {this_year + 1} is missing: deadlines that reach "
                f"into {this_year + 1} cannot be computed, and dispatching them fails.",
                hint="Upgrade chinesecalendar once the State Council publishes the year, or enter it "
                "in FEEDBACK_EXTRA_CALENDAR.",
                id="dispatch.W020",
            )
        )
    return found
