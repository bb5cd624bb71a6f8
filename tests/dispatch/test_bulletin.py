"""The 周报's figures against hand-computed data, the XLSX content, bounded queries."""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from feedback.complaints import bulletin
from feedback.complaints.models import EventKind
from feedback.complaints.workdays import SHANGHAI
from feedback.models import Complaint, ComplaintEvent, Rating, State
from tests.factories.feedback import ComplaintFactory, HandlingUnitFactory
from tests.factories.home import CommunityFactory

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 23)
SUN = date(2026, 11, 29)


def at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def week(category, community):
    a = HandlingUnitFactory(name="甲单位")
    b = HandlingUnitFactory(name="乙单位")
    other = CommunityFactory(name="乙社区", slug="yi")

    def make(unit, comm=community, **kw):
        fields = dict(
            created_at=at(MON), dispatched_at=at(MON, 11), state=State.DISPATCHED, handling_unit=unit
        )
        fields.update(kw)
        return ComplaintFactory(category=category, community=comm, **fields)

    # 甲: 3 received; 2 signed by Tue end (one Tue 23:00, one Wed: late); 2 resolved, 1 on time;
    # both replied; 1 rated satisfied, 1 dissatisfied.
    make(
        a,
        signed_at=at(MON + timedelta(days=1), 23),
        state=State.RESOLVED,
        resolved_at=at(MON, 15),
        resolved_on_time=True,
        reply="已处理",
        rating=Rating.SATISFIED,
        phone="13900000001",
    )
    make(
        a,
        signed_at=at(MON + timedelta(days=2)),
        state=State.RESOLVED,
        resolved_at=at(SUN),
        resolved_on_time=False,
        reply="已处理",
        rating=Rating.DISSATISFIED,
        phone="13900000002",
    )
    make(a, phone="13900000001", created_at=at(MON + timedelta(days=1)))  # a repeat
    # 乙 (other community): 1 received, signed Monday, sent back once.
    sent = make(b, comm=other, signed_at=at(MON, 12), phone="13900000003")
    ComplaintEvent.objects.create(
        complaint=sent, title="退单", kind=EventKind.SENT_BACK, unit=b, at=at(MON, 14), public=False
    )
    # Outside the week: not counted.
    make(a, created_at=at(SUN + timedelta(days=1)), phone="13900000004")
    return a, b


def test_figures_match_hand_computed_values(week):
    data = bulletin.bulletin(queryset=Complaint.objects.all(), start=MON, end=SUN)
    rows = {r.name: r for r in data.by_unit}
    a = rows["甲单位"]
    assert (a.received, a.signed_in_time, a.resolved, a.resolved_on_time) == (3, 1, 2, 1)
    assert a.on_time_rate == Decimal("50.0") and a.replied == 2 and a.reply_rate == Decimal("66.7")
    assert (a.rated, a.satisfied, a.satisfaction_rate) == (2, 1, Decimal("50.0"))
    assert (a.sent_back, a.repeats) == (0, 1)
    b = rows["乙单位"]
    assert (b.received, b.signed_in_time, b.sent_back, b.reply_rate, b.on_time_rate) == (
        1,
        1,
        1,
        Decimal("0.0"),
        None,
    )
    communities = {r.name: r.received for r in data.by_community}
    assert communities == {"复兴社区": 3, "乙社区": 1}
    assert (data.total.received, data.total.sent_back, data.total.repeats) == (4, 1, 1)


def test_xlsx_holds_the_same_figures(week):
    data = bulletin.bulletin(queryset=Complaint.objects.all(), start=MON, end=SUN)
    book = load_workbook(io.BytesIO(bulletin.to_xlsx(data)))
    sheet = book["按承办单位"]
    values = list(sheet.iter_rows(values_only=True))
    assert "2026-11-23" in values[0][0]
    assert values[1][0] == "名称" and values[1][7] == "回复率（%）"
    row = next(v for v in values if v[0] == "甲单位")
    assert row[1:6] == (3, 1, 2, 1, 50.0) and row[7] == 66.7 and row[12] == 1
    assert next(v for v in values if v[0] == "合计")[1] == 4
    assert [v[0] for v in list(book["按社区"].iter_rows(values_only=True))[2:]] == [
        "乙社区",
        "复兴社区",
        "合计",
    ]


def test_queries_do_not_grow_with_units(category, community):
    def measure():
        with CaptureQueriesContext(connection) as q:
            bulletin.bulletin(queryset=Complaint.objects.all(), start=MON, end=SUN)
        return len(q.captured_queries)

    ComplaintFactory(
        category=category,
        community=community,
        created_at=at(MON),
        dispatched_at=at(MON),
        handling_unit=HandlingUnitFactory(),
        state=State.DISPATCHED,
    )
    few = measure()
    for i in range(10):
        ComplaintFactory(
            category=category,
            community=CommunityFactory(name=f"社区{i}", slug=f"c{i}"),
            created_at=at(MON),
            dispatched_at=at(MON, 9 + i % 3),
            handling_unit=HandlingUnitFactory(),
            state=State.DISPATCHED,
        )
    assert measure() == few <= 6


def test_page_defaults_to_last_week_and_downloads_xlsx(client, make_moderator, week, community):
    client.force_login(make_moderator(communities=[community]))
    page = client.get(reverse("feedback_bulletin")).content.decode()
    assert "周报" in page and "按承办单位" in page
    page = client.get(reverse("feedback_bulletin"), {"start": MON, "end": SUN}).content.decode()
    assert "甲单位" in page and "乙单位" not in page  # 乙社区 is outside the moderator's scope
    response = client.get(reverse("feedback_bulletin"), {"start": MON, "end": SUN, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.get(reverse("feedback_bulletin"), {"start": SUN, "end": MON}).content.decode()
    assert "结束日期不能早于开始日期" in bad
