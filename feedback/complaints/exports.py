"""CSV/XLSX export of the complaints a moderator can see.

Personal data (name, phone) is included only for holders of
``feedback.view_personal_data`` (and each such export is audited by the view); for
everyone else the residents' texts (place, description, reply) go through the
personal-data detector's mask, as on public pages. Every
text cell that a spreadsheet could read as a formula goes through
``portal.spreadsheet.safe_row`` (see there for the rule).
"""

import csv
import io

from django.utils import timezone

from portal.personal_data import mask_personal_data
from portal.spreadsheet import safe_row

BASE_COLUMNS = [
    ("编号", lambda c: c.reference),
    ("提交时间", lambda c: timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M")),
    ("类型", lambda c: c.get_kind_display()),
    ("分类", lambda c: c.category.name),
    ("街道", lambda c: c.community.street.name),
    ("社区", lambda c: c.community.name),
    ("地点", lambda c: c.place),
    ("问题描述", lambda c: c.description),
    ("状态", lambda c: c.get_state_display()),
    ("承办单位", lambda c: c.handling_unit.name if c.handling_unit else ""),
    ("办结时限", lambda c: c.deadline.isoformat() if c.deadline else ""),
    ("是否超期", lambda c: "是" if c.is_overdue else "否"),
    (
        "办结时间",
        lambda c: timezone.localtime(c.resolved_at).strftime("%Y-%m-%d %H:%M") if c.resolved_at else "",
    ),
    ("按时办结", lambda c: {True: "是", False: "否"}.get(c.resolved_on_time, "")),
    ("答复", lambda c: c.reply),
    ("评价", lambda c: c.get_rating_display() if c.rating else ""),
]
PERSONAL_COLUMNS = [("姓名", lambda c: c.name), ("手机号", lambda c: c.phone)]
# Free text a resident (or a unit quoting them) wrote: masked without the permission.
FREE_TEXT_COLUMNS = {"地点", "问题描述", "答复"}


def _masked(get):
    return lambda c: mask_personal_data(get(c))


def rows(queryset, *, personal_data: bool):
    if personal_data:
        columns = BASE_COLUMNS + PERSONAL_COLUMNS
    else:
        columns = [
            (title, _masked(get) if title in FREE_TEXT_COLUMNS else get) for title, get in BASE_COLUMNS
        ]
    yield [title for title, _ in columns]
    for complaint in queryset.select_related("category", "community__street", "handling_unit").iterator(2000):
        yield safe_row(get(complaint) for _, get in columns)


def to_csv(queryset, *, personal_data: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(queryset, personal_data=personal_data):
        writer.writerow(row)
    # BOM so Excel on Windows opens the Chinese text correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(queryset, *, personal_data: bool) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民反映")
    for row in rows(queryset, personal_data=personal_data):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
