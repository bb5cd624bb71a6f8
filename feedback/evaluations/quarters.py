"""Quarters as the evaluations use them: ``"2026Q3"``, Asia/Shanghai calendar."""

import re
from datetime import date

_QUARTER_RE = re.compile(r"^(20\d\d)Q([1-4])$")
_NUMERALS = "一二三四"


def parse_quarter(text: str) -> tuple[int, int] | None:
    match = _QUARTER_RE.match((text or "").strip().upper())
    return (int(match[1]), int(match[2])) if match else None


def quarter_for(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def shift_quarter(quarter: str, by: int) -> str:
    year, number = parse_quarter(quarter)
    index = year * 4 + number - 1 + by
    return f"{index // 4}Q{index % 4 + 1}"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    year, number = parse_quarter(quarter)
    start = date(year, 3 * number - 2, 1)
    end = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def quarter_label(quarter: str) -> str:
    year, number = parse_quarter(quarter)
    return f"{year}年第{_NUMERALS[number - 1]}季度"


def recent_quarters(*, today: date, count: int) -> list[str]:
    """The current quarter and the ``count - 1`` before it, newest first."""
    current = quarter_for(today)
    return [shift_quarter(current, -n) for n in range(count)]
