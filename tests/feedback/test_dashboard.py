"""The dashboard panel of 居民反映: what waits, what is due, this month and the last 30
days, evaluations to review, overdue per unit — inside the user's communities, in a
bounded number of queries."""

from datetime import date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.complaints import services
from feedback.complaints.admin import ComplaintQueuePanel
from feedback.complaints.selectors import queue_summary
from feedback.models import Complaint, ModerationState, Rating, State
from tests.factories.feedback import ComplaintFactory, EvaluationFactory, HandlingUnitFactory
from tests.factories.home import CommunityFactory, StreetFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def _at(day: date, hour=10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def _open(category, community, *, deadline, unit):
    complaint = ComplaintFactory(category=category, community=community)
    services.dispatch_complaint(complaint=complaint, unit=unit, actor=None)
    Complaint.objects.filter(pk=complaint.pk).update(deadline=deadline)
    return complaint


def test_rates_on_the_second_of_the_month_come_from_the_last_30_days(category, community, unit):
    today = date(2026, 12, 2)
    # Received in November, resolved on time and rated 满意: outside "this month", inside 30 days.
    ComplaintFactory(
        category=category,
        community=community,
        state=State.CLOSED,
        created_at=_at(date(2026, 11, 20)),
        resolved_at=_at(date(2026, 11, 22)),
        resolved_on_time=True,
        rating=Rating.SATISFIED,
    )
    ComplaintFactory(category=category, community=community, created_at=_at(date(2026, 10, 1)))  # too old
    summary = queue_summary(queryset=Complaint.objects.all(), today=today)
    assert summary.month.received == 0 and summary.month.on_time_rate is None
    assert (summary.last_30_days.received, summary.last_30_days.resolved) == (1, 1)
    assert summary.last_30_days.on_time_rate == 100 and summary.last_30_days.satisfaction_rate == 100
    assert (summary.month_start, summary.window_start) == (date(2026, 12, 1), date(2026, 11, 3))
    assert summary.resolved_last_30_days == 1 and summary.resolved_this_month == 0


def test_due_today_tomorrow_overdue_and_per_unit(category, community, unit):
    today = timezone.localdate()
    parks = HandlingUnitFactory(name="园林绿化所")
    _open(category, community, deadline=today, unit=unit)
    _open(category, community, deadline=today + timedelta(days=1), unit=unit)
    _open(category, community, deadline=today + timedelta(days=5), unit=unit)
    _open(category, community, deadline=today - timedelta(days=2), unit=unit)
    _open(category, community, deadline=today - timedelta(days=1), unit=parks)
    _open(category, community, deadline=today - timedelta(days=3), unit=parks)
    summary = queue_summary(queryset=Complaint.objects.all())
    assert (summary.due_today, summary.due_tomorrow, summary.overdue) == (1, 1, 3)
    assert [(row.name, row.overdue) for row in summary.overdue_by_unit] == [
        ("园林绿化所", 2),
        ("街道城管办", 1),
    ]


def _panel_html(user) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    return ComplaintQueuePanel(request).render_html({})


def _with_evaluation_permission(user):
    user.user_permissions.add(Permission.objects.get(codename="view_evaluation"))
    return type(user).objects.get(pk=user.pk)  # a fresh permission cache


def test_panel_shows_counts_of_the_users_communities_only(make_moderator, category, community, unit):
    today = timezone.localdate()
    elsewhere = CommunityFactory(name="千秋社区", street=StreetFactory(name="天长街道"))
    _open(category, community, deadline=today, unit=unit)
    _open(category, elsewhere, deadline=today, unit=unit)
    _open(category, elsewhere, deadline=today - timedelta(days=1), unit=unit)
    EvaluationFactory(community=community, state=ModerationState.PENDING)
    EvaluationFactory(community=community, state=ModerationState.APPROVED)
    EvaluationFactory(community=elsewhere, state=ModerationState.PENDING)
    user = _with_evaluation_permission(make_moderator(communities=[community]))
    soup = BeautifulSoup(_panel_html(user), "html.parser")
    items = [li.get_text(" ", strip=True) for li in soup.select("ul.w-summary__list li")]
    assert items == [
        "0 条待受理",
        "● 红灯 0 条（未签收或已超期）",
        "● 黄灯 1 条（即将到期或久无进展）",
        "0 条已超期",
        "1 条今日到期",
        "0 条明日到期",
        "1 条评议待审核",
    ]
    assert soup.select_one("a[href$='?due=today']")
    assert soup.select_one("a[href$='state__exact=pending']")
    assert "没有超期的反映" in soup.get_text()
    headers = [th.get_text(strip=True) for th in soup.select("thead th")]
    assert headers[1].startswith("本月") and headers[2].startswith("近 30 天")


def test_panel_leaves_out_evaluations_without_their_permission(make_moderator, community):
    EvaluationFactory(community=community, state=ModerationState.PENDING)
    assert "评议待审核" not in _panel_html(make_moderator(communities=[community]))


def test_panel_costs_the_same_queries_with_many_units_and_reports(make_moderator, category, community):
    today = timezone.localdate()
    user = _with_evaluation_permission(make_moderator(communities=[community]))

    def measure():
        with CaptureQueriesContext(connection) as queries:
            _panel_html(user)
        return len(queries.captured_queries)

    _open(category, community, deadline=today - timedelta(days=1), unit=HandlingUnitFactory())
    measure()  # the user's permissions are read once per request, as in the admin
    few = measure()
    for _ in range(12):
        _open(category, community, deadline=today - timedelta(days=1), unit=HandlingUnitFactory())
        EvaluationFactory(community=community)
    many = measure()
    # 7: the red/yellow light counts are one more aggregate query.
    assert many == few <= 7, f"{few} then {many} queries"


def test_dashboard_page_loads_the_panels_stylesheet(client, make_moderator, community):
    # The figures' names stay on one line on a phone only with the queue's stylesheet,
    # which the dashboard gathers from the panel's Media.
    client.force_login(make_moderator(communities=[community]))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "css/feedback-admin.css" in response.content.decode()
    assert "居民反映 · 待办" in response.content.decode()
