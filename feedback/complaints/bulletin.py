"""The weekly bulletin (周报): figures per handling unit and per community for a period.

Computed by the same selectors as the public figures (``rollup.counted`` and
``rollup.COUNTS``: the cohort of reports received in the period, spam left out),
plus the dispatch figures of the 12345 line:

- signed_in_time: signed (签收) by the end of the first working day after the day of
  dispatch (``workdays``);
- replied: with a public reply; reply_rate = replied / received;
- sent_back: 退单 events in the period (per unit: the unit that sent it back);
- repeats: 重复投诉 (``duplicates.with_repeat_flag``).

A fixed number of queries whatever the number of units or communities: one aggregate
per grouping, one for the dispatch days, one for send-backs.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from portal.spreadsheet import safe_row

from ..common.figures import on_days, percentage
from . import duplicates
from .models import ComplaintEvent, EventKind
from .rollup import COUNTS, counted
from .workdays import SHANGHAI, CalendarMissing, add_working_days


@dataclass(frozen=True)
class Row:
    name: str
    received: int
    signed_in_time: int
    resolved: int
    resolved_on_time: int
    on_time_rate: Decimal | None
    replied: int
    reply_rate: Decimal | None
    rated: int
    satisfied: int
    satisfaction_rate: Decimal | None
    sent_back: int
    repeats: int


COLUMNS = (
    ("name", "名称"),
    ("received", "收到"),
    ("signed_in_time", "1 个工作日内签收"),
    ("resolved", "已办结"),
    ("resolved_on_time", "按期办结"),
    ("on_time_rate", "按期办结率（%）"),
    ("replied", "已答复"),
    ("reply_rate", "回复率（%）"),
    ("rated", "已评价"),
    ("satisfied", "满意"),
    ("satisfaction_rate", "满意率（%）"),
    ("sent_back", "退单"),
    ("repeats", "重复投诉"),
)


def last_week(today: date | None = None) -> tuple[date, date]:
    """Monday to Sunday of the week before ``today``'s."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _signed_in_time_q(cohort) -> Q:
    """Signed by the end of the working day after the dispatch day, as one Q over the
    cohort's (few) dispatch days."""
    days = {
        timezone.localtime(at, SHANGHAI).date()
        for at in cohort.filter(dispatched_at__isnull=False)
        .values_list("dispatched_at", flat=True)
        .distinct()
    }
    q = Q(pk__in=[])
    for day in days:
        try:
            last_day = add_working_days(start=day, days=1)
        except CalendarMissing:
            # The next working day is at least the next day: signed by then is surely in
            # time; later ones count once the missing year is entered.
            last_day = day + timedelta(days=1)
        q |= Q(
            dispatched_at__gte=_start(day),
            dispatched_at__lt=_start(day + timedelta(days=1)),
            signed_at__lt=_start(last_day + timedelta(days=1)),
        )
    return q


def _row(name: str, data: dict, sent_back: int) -> Row:
    return Row(
        name=name,
        received=data["received"],
        signed_in_time=data["signed_in_time"],
        resolved=data["resolved"],
        resolved_on_time=data["resolved_on_time"],
        on_time_rate=percentage(data["resolved_on_time"], data["resolved"]),
        replied=data["replied"],
        reply_rate=percentage(data["replied"], data["received"]),
        rated=data["rated"],
        satisfied=data["satisfied"],
        satisfaction_rate=percentage(data["satisfied"], data["rated"]),
        sent_back=sent_back,
        repeats=data["repeats"],
    )


@dataclass(frozen=True)
class Bulletin:
    start: date
    end: date
    by_unit: list[Row]
    by_community: list[Row]
    total: Row


def bulletin(*, queryset, start: date, end: date) -> Bulletin:
    """Figures of the reports in ``queryset`` (the viewer's scope) received from ``start`` to ``end``."""
    cohort = duplicates.with_repeat_flag(counted(queryset.filter(on_days("created_at", start, end))))
    aggregates = {
        **COUNTS,
        "signed_in_time": Count("pk", filter=_signed_in_time_q(cohort)),
        "replied": Count("pk", filter=~Q(reply="")),
        "repeats": Count("pk", filter=Q(is_repeat=True)),
    }
    sent_back_rows = (
        ComplaintEvent.objects.filter(
            on_days("at", start, end), kind=EventKind.SENT_BACK, complaint__in=queryset
        )
        .values("unit_id", "unit__name")
        .order_by()
        .annotate(n=Count("pk"))
    )
    sent_back = {row["unit_id"]: (row["unit__name"], row["n"]) for row in sent_back_rows}
    units = {
        row["handling_unit"]: row
        for row in cohort.values("handling_unit", "handling_unit__name").order_by().annotate(**aggregates)
    }
    empty = dict.fromkeys(aggregates, 0)
    by_unit = []
    for unit_id in sorted(set(units) | set(sent_back), key=lambda u: (u is None, str(u))):
        data = units.get(unit_id, empty)
        name = data.get("handling_unit__name") or sent_back.get(unit_id, ("",))[0] or "未派单"
        by_unit.append(_row(name, data, sent_back.get(unit_id, ("", 0))[1] if unit_id else 0))
    by_unit.sort(key=lambda r: (r.name == "未派单", r.name))
    by_community = [
        _row(row["community__name"], row, 0)
        for row in cohort.values("community", "community__name")
        .order_by("community__name")
        .annotate(**aggregates)
    ]
    total = _row("合计", cohort.aggregate(**aggregates), sum(n for _, n in sent_back.values()))
    return Bulletin(start=start, end=end, by_unit=by_unit, by_community=by_community, total=total)


def _cells(row: Row) -> list:
    return [getattr(row, key) if getattr(row, key) is not None else "—" for key, _ in COLUMNS]


def to_xlsx(data: Bulletin) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in (("按承办单位", data.by_unit), ("按社区", data.by_community)):
        sheet = workbook.create_sheet(title)
        sheet.append([f"周报 {data.start:%Y-%m-%d} 至 {data.end:%Y-%m-%d}（按收到反映的日期统计）"])
        sheet.append([label for _, label in COLUMNS])
        for row in [*rows, data.total]:
            sheet.append(safe_row([float(v) if isinstance(v, Decimal) else v for v in _cells(row)]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
