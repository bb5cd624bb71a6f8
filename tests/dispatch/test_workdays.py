"""Working-day deadlines on the official calendar (real 2025/2026 dates of chinesecalendar)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from feedback.complaints import workdays
from feedback.complaints.workdays import CalendarMissing, add_working_days, due_at, working_days_between
from feedback.complaints.workflow import TransitionError, deadline_after


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # 国庆 2025: Oct 1-8 off; Sunday Sep 28 and Saturday Oct 11 are 调休 working days.
        (date(2025, 9, 26), 1, date(2025, 9, 28)),  # Friday + 1: the make-up Sunday
        (date(2025, 9, 30), 1, date(2025, 10, 9)),  # over the whole holiday
        (date(2025, 10, 9), 2, date(2025, 10, 11)),  # Thursday + 2: the make-up Saturday
        # 国庆 2026: Oct 1-7 off, make-up Sunday Sep 20 and Saturday Oct 10.
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        # 春节 2026: Feb 15-23 off; Saturday Feb 14 and Saturday Feb 28 are worked.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 13), 7, date(2026, 3, 2)),  # 14, 24, 25, 26, 27, 28, Mar 2
        # A plain weekend still does not count; dispatched on a holiday counts from after it.
        (date(2026, 1, 30), 1, date(2026, 2, 2)),
        (date(2026, 10, 3), 1, date(2026, 10, 8)),
    ],
)
def test_add_working_days_on_the_official_calendar(start, days, expected):
    assert add_working_days(start=start, days=days) == expected
    assert working_days_between(start, expected) == days


def test_make_up_weekend_days_are_working_days_and_holidays_are_not():
    assert workdays.is_workday(date(2026, 2, 28)) is True  # Saturday, 调休
    assert workdays.is_workday(date(2026, 2, 16)) is False  # Monday, 春节
    assert workdays.is_workday(date(2026, 10, 1)) is False


def test_due_at_is_the_end_of_the_last_working_day_in_shanghai():
    assert due_at(date(2026, 10, 8)) == datetime(2026, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_missing_year_raises_instead_of_counting_weekdays(db):
    with pytest.raises(CalendarMissing) as missing:
        add_working_days(start=date(2031, 3, 3), days=1)
    assert missing.value.year == 2031
    with pytest.raises(TransitionError, match="缺少 2031 年"):
        deadline_after(start=date(2031, 3, 3), days=5)


def test_an_operator_may_enter_a_published_year():
    extra = {2031: {"holidays": ["2031-03-04"], "workdays": ["2031-03-08"]}}
    with override_settings(FEEDBACK_EXTRA_CALENDAR=extra):
        assert add_working_days(start=date(2031, 3, 3), days=1) == date(2031, 3, 5)
        assert add_working_days(start=date(2031, 3, 7), days=1) == date(2031, 3, 8)


def _calendar_issues():
    return {issue.id for issue in run_checks() if issue.id in ("dispatch.W021", "dispatch.W020")}


def test_check_warns_when_this_years_calendar_is_missing(monkeypatch, db):
    monkeypatch.setattr(workdays.timezone, "localdate", lambda: date(2031, 5, 1))
    assert _calendar_issues() == {"dispatch.W021", "dispatch.W020"}


@override_settings(FEEDBACK_EXTRA_CALENDAR={})  # the package alone (test settings add weekdays)
def test_check_warns_when_only_next_years_calendar_is_missing(monkeypatch, db):
    monkeypatch.setattr(workdays.timezone, "localdate", lambda: date(2025, 5, 1))
    assert _calendar_issues() == set()
    monkeypatch.setattr(workdays.timezone, "localdate", lambda: date(2026, 5, 1))
    assert _calendar_issues() == {"dispatch.W020"}  # chinesecalendar 1.11.0 ends with 2026
