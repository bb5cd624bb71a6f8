"""Is a station open right now? Fixed Asia/Shanghai datetimes, no database."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from servicecatalog.hours import Span, is_open, open_state, week_table

SH = ZoneInfo("Asia/Shanghai")
MON, TUE, WED, SAT, SUN = 0, 1, 2, 5, 6


def at(day: int, hour: int, minute: int = 0) -> datetime:
    # 2026-11-23 is a Monday.
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=SH)


NIGHT_MONDAY = [Span(MON, time(20), time(2))]
OFFICE = [
    *[Span(d, time(8, 30), time(12)) for d in range(5)],
    *[Span(d, time(14), time(17, 30)) for d in range(5)],
]


def open_at(spans, when, *, always_open=False, suspended=False) -> bool:
    return is_open(spans=spans, always_open=always_open, suspended=suspended, now=when)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (at(MON, 19, 59), False),
        (at(MON, 20, 0), True),
        (at(MON, 23, 59), True),
        (at(TUE, 1, 0), True),  # the overnight tail belongs to Monday's span
        (at(TUE, 2, 0), False),
        (at(TUE, 20, 30), False),  # Tuesday has no span of its own
        (at(SUN, 1, 0), False),
    ],
)
def test_overnight_monday_span_runs_into_tuesday_morning(when, expected):
    assert open_at(NIGHT_MONDAY, when) is expected


def test_sunday_night_span_wraps_into_monday():
    spans = [Span(SUN, time(22), time(3))]
    assert open_at(spans, at(MON, 2, 30)) is True
    assert open_at(spans, at(MON, 3, 0)) is False


def test_office_hours_have_a_lunch_break_and_closed_weekend():
    assert open_at(OFFICE, at(WED, 9, 0)) is True
    assert open_at(OFFICE, at(WED, 12, 30)) is False
    assert open_at(OFFICE, at(WED, 17, 30)) is False
    assert open_at(OFFICE, at(SAT, 10, 0)) is False
    assert open_at(OFFICE, at(SUN, 10, 0)) is False


def test_until_midnight_span_closes_at_midnight():
    spans = [Span(MON, time(22), time(0))]
    assert open_state(spans=spans, always_open=False, suspended=False, now=at(MON, 23)).until == "24:00"
    assert open_at(spans, at(TUE, 0, 0)) is False


def test_24_hour_station_is_open_at_any_hour_without_spans():
    assert open_at([], at(SUN, 3, 0), always_open=True) is True
    assert open_state(spans=[], always_open=True, suspended=False, now=at(WED, 4)).until == ""


def test_suspended_station_is_never_open_even_if_24_hours():
    assert open_at(OFFICE, at(WED, 9, 0), suspended=True) is False
    assert open_at([], at(WED, 9, 0), always_open=True, suspended=True) is False


def test_now_in_utc_is_read_as_shanghai_time():
    # 17:30 UTC on Monday is 01:30 on Tuesday in Shanghai: inside Monday's night span.
    utc_now = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
    state = open_state(spans=NIGHT_MONDAY, always_open=False, suspended=False, now=utc_now)
    assert state.is_open and state.until == "02:00"
    # 11:30 UTC Monday is 19:30 Monday in Shanghai: not yet open.
    assert open_at(NIGHT_MONDAY, datetime(2026, 11, 23, 11, 30, tzinfo=UTC)) is False


def test_open_state_says_until_when_it_closes():
    state = open_state(spans=NIGHT_MONDAY, always_open=False, suspended=False, now=at(MON, 21))
    assert state.until == "次日 02:00"
    assert open_state(spans=OFFICE, always_open=False, suspended=False, now=at(WED, 15)).until == "17:30"


def test_week_table_lists_closed_days_as_empty():
    table = dict(week_table(spans=OFFICE + NIGHT_MONDAY))
    assert table["周一"] == ["08:30–12:00", "14:00–17:30", "20:00–次日 02:00"]
    assert table["周日"] == []
