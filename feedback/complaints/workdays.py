"""Working days (工作日) on China's official calendar: every deadline is counted here.

A handling unit's time limit is a number of working days, as on the city's 12345 line:
weekends and the State Council's public holidays do not count, and the make-up working
days of 调休 (a Saturday or Sunday worked in exchange for a longer holiday) do. The
calendar comes from the maintained ``chinesecalendar`` package, which knows each year
only once the State Council has published it (usually in November for the next year).

A year the package does not know is never guessed: counting it as plain weekdays would
promise residents a date in the middle of 春节. Staff enter the State Council's notice for
it in 居民反映 → 节假日安排 (``HolidayCalendar``, read from the notice by
``holiday_notice``); a deployment may instead set ``FEEDBACK_EXTRA_CALENDAR``::

    FEEDBACK_EXTRA_CALENDAR = {
        2027: {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-06", ...]},
    }

(holidays: days off; workdays: weekend days worked). The setting wins over the package,
and the package over an entered year, so a year it knows never costs a query. An entered
year is read once a minute per process (at once in the process that saved it).

Until a year is known ``is_workday`` raises ``CalendarMissing`` for it: dispatching into
it is refused with that message, and the system checks ``dispatch.W021`` (this year) and
``dispatch.W020`` (next year) say so on every ``manage.py`` start, without stopping the
site. A deadline date means the end
of that day in Asia/Shanghai (``due_at``).
"""

import time as clock
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.core.checks import Warning, register
from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import HolidayCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


class CalendarMissing(Exception):
    """The official calendar of a year is not known; ``str(error)`` is shown to staff."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"系统缺少 {year} 年的法定节假日和调休安排，无法计算工作日办理时限；"
            "请管理员在“居民反映 → 节假日安排”中录入国务院办公厅该年的节假日安排通知。"
        )


@cache
def _extra_year(year: int, spec: tuple) -> tuple[frozenset[date], frozenset[date]]:
    holidays, workdays = spec
    return frozenset(map(date.fromisoformat, holidays)), frozenset(map(date.fromisoformat, workdays))


ENTERED_SECONDS = 60
_entered: dict[int, tuple[float, tuple[frozenset[date], frozenset[date]] | None]] = {}


def _entered_year(year: int):
    kept = _entered.get(year)
    now = clock.monotonic()
    if kept is not None and now - kept[0] < ENTERED_SECONDS:
        return kept[1]
    try:
        row = HolidayCalendar.objects.filter(year=year).values_list("holidays", "workdays").first()
    except DatabaseError:  # before migrate: as if nothing were entered, and ask again next time
        return None
    found = None
    if row is not None:
        found = (frozenset(map(date.fromisoformat, row[0])), frozenset(map(date.fromisoformat, row[1])))
    _entered[year] = (now, found)
    return found


def forget_entered_years(**kwargs) -> None:
    """Read entered years afresh (after a save or delete here, and between tests)."""
    _entered.clear()


post_save.connect(forget_entered_years, sender=HolidayCalendar, dispatch_uid="workdays_saved")
post_delete.connect(forget_entered_years, sender=HolidayCalendar, dispatch_uid="workdays_deleted")


def _extra(year: int):
    spec = getattr(settings, "FEEDBACK_EXTRA_CALENDAR", {}).get(year)
    if spec is None:
        return None
    return _extra_year(year, (tuple(spec.get("holidays", ())), tuple(spec.get("workdays", ()))))


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day in mainland China; raises ``CalendarMissing``."""
    known = _extra(day.year)
    if known is None:
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            known = _entered_year(day.year)
    if known is None:
        raise CalendarMissing(day.year)
    holidays, workdays = known
    return day in workdays or (day.weekday() < 5 and day not in holidays)


def published_in_package(year: int) -> bool:
    """Whether ``chinesecalendar`` itself has the year (then an entered one is never read)."""
    try:
        chinese_calendar.is_workday(date(year, 6, 30))
    except NotImplementedError:
        return False
    return True


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


def missing_years(today: date | None = None) -> list[int]:
    """This year and next year, where not known: what staff are asked to enter."""
    this_year = (today or timezone.localdate()).year
    return [year for year in (this_year, this_year + 1) if not year_known(year)]


@register()
def check_calendar_years(app_configs=None, **kwargs):
    """A missing year is a warning on every start, not an error: the site, the queue and
    everything else keep working, and staff can enter the year in the admin. This year's
    missing means no dispatch can be given a deadline today; next year's, that deadlines
    set in December reaching into it cannot."""
    this_year = timezone.localdate().year
    found = []
    for year in missing_years():
        if year == this_year:
            found.append(
                Warning(
                    f"The official holiday calendar of {year} is missing: working-day deadlines cannot "
                    "be computed, dispatching fails and the warning lights show only overdue tickets.",
                    hint="Enter the State Council's notice in 居民反映 → 节假日安排, or upgrade chinesecalendar.",
                    id="dispatch.W021",
                )
            )
        else:
            found.append(
                Warning(
                    f"The official holiday calendar of {year} is missing: deadlines that reach into "
                    f"{year} cannot be computed, and dispatching them fails.",
                    hint="Once the State Council publishes the year, enter its notice in 居民反映 → 节假日安排, "
                    "or upgrade chinesecalendar.",
                    id="dispatch.W020",
                )
            )
    return found
