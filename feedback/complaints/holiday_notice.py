"""Reading a year's holidays and make-up working days from the State Council's notice.

Each November the 国务院办公厅 publishes 《关于 2027 年部分节假日安排的通知》. Until
``chinesecalendar`` knows the year, staff paste that notice (or lines of their own) into
居民反映 → 节假日安排, and :func:`parse_notice` turns it into dates::

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    2027-02-06 至 2027-02-12 放假
    2027-02-14 上班

A clause (between ``，`` ``。`` ``；`` or a line break) naming 放假, 补休 or 休息 gives
holidays; one naming 上班 gives make-up working days; ``至`` joins a range, whose end may
leave out the month. Anything in brackets (the weekday, the lunar date) is ignored. A date
with another year in a clause without those words (the notice's own date) is ignored.
Every problem is an error in Chinese for the form, never a guess.
"""

import re
import unicodedata
from datetime import date, timedelta

from django.core.exceptions import ValidationError

_BRACKETS = re.compile(r"[(\[【][^)\]】]*[)\]】]")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号]")
_RANGE = re.compile(r"\s*(?:至|到|~|-|—|–)\s*")
_CLAUSES = re.compile(r"[。，,；;\n]")
_OFF_WORDS = ("放假", "补休", "休息")
_ON_WORD = "上班"
WEEKDAYS = "一二三四五六日"


def label(day: date) -> str:
    return f"{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def _dates(clause: str, year: int, month: int | None) -> tuple[list[date], int | None, bool]:
    """The dates a clause names (ranges expanded), the month to carry on, and whether a
    date of another year was named."""
    found: list[date] = []
    other_year = False
    previous_end = None
    for match in _DATE.finditer(clause):
        y, m, d = match.group(1), match.group(2), match.group(3)
        if y and int(y) != year:
            other_year = True
            continue
        if m:
            month = int(m)
        if month is None:
            raise ValidationError(f"“{match.group(0)}”没有写月份。")
        try:
            day = date(year, month, int(d))
        except ValueError:
            raise ValidationError(f"{month}月{d}日不是有效日期。") from None
        joined = previous_end is not None and _RANGE.fullmatch(clause[previous_end[0] : match.start()])
        if joined:
            start = found[-1]
            if day < start:
                raise ValidationError(f"{label(start)}至{label(day)}：结束日期早于开始日期。")
            found.extend(start + timedelta(days=n) for n in range(1, (day - start).days + 1))
        else:
            found.append(day)
        previous_end = (match.end(), day)
    return found, month, other_year


def parse_notice(year: int, text: str) -> tuple[list[date], list[date]]:
    """(holidays, make-up working days) of ``year``, sorted; raises ``ValidationError``."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _ISO.sub(lambda m: f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日", text)
    text = _BRACKETS.sub("", text)
    holidays: set[date] = set()
    workdays: set[date] = set()
    month = None
    for clause in _CLAUSES.split(text):
        found, month, other_year = _dates(clause, year, month)
        on, off = _ON_WORD in clause, any(word in clause for word in _OFF_WORDS)
        if (on or off) and other_year:
            raise ValidationError(f"“{clause.strip()}”中的日期不在 {year} 年。")
        if not found:
            continue
        if on and off:
            raise ValidationError(f"“{clause.strip()}”同时写了放假和上班，请分成两句。")
        if on:
            workdays.update(found)
        elif off:
            holidays.update(found)
        elif not other_year:
            raise ValidationError(f"“{clause.strip()}”没有写明是放假还是上班。")
    if not holidays:
        raise ValidationError(
            "没有找到放假日期：请粘贴国务院办公厅通知的各条，或逐行填写，如“2027-01-01 放假”“2027-02-14 上班”。"
        )
    both = sorted(holidays & workdays)
    if both:
        raise ValidationError(f"{label(both[0])}既写了放假又写了上班。")
    weekdays = sorted(day for day in workdays if day.weekday() < 5)
    if weekdays:
        raise ValidationError(f"{label(weekdays[0])}不是周末：调休上班日应是周六或周日。")
    return sorted(holidays), sorted(workdays)


def describe(days: list[date]) -> str:
    """``1月1日至3日、2月15日至23日``: consecutive days as ranges, for staff to check."""
    parts: list[str] = []
    runs: list[list[date]] = []
    for day in days:
        if runs and day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        first, last = run[0], run[-1]
        if first == last:
            parts.append(f"{first.month}月{first.day}日")
        elif first.month == last.month:
            parts.append(f"{first.month}月{first.day}日至{last.day}日")
        else:
            parts.append(f"{first.month}月{first.day}日至{last.month}月{last.day}日")
    return "、".join(parts) or "—"
