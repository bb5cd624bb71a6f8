"""A report to residents shows its community's participation and 议事协商 figures for its
period, counted from the records (others' communities and other periods left out)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.deliberation.models import OutcomeRating, Step, Topic
from feedback.participation.members import services as members
from feedback.participation.members.models import Member, Registration
from feedback.participation.models import Need, Wish
from feedback.participation.points import services as points
from tests.deliberation.conftest import propose
from tests.factories.notices import ResidentReportIndexPageFactory, ResidentReportPageFactory

from .conftest import make_need, make_wish

pytestmark = pytest.mark.django_db


def _last_year(model, obj, *fields):
    moment = timezone.now() - datetime.timedelta(days=400)
    model.objects.filter(pk=obj.pk).update(**dict.fromkeys(fields, moment))


@pytest.fixture
def report(home_page, community, settings):
    settings.PAGE_CACHE_SECONDS = 0
    today = timezone.localdate()
    return ResidentReportPageFactory(
        parent=ResidentReportIndexPageFactory(parent=home_page),
        community=community,
        period_start=datetime.date(today.year, 1, 1),
        period_end=today,
    )


@pytest.fixture
def records(community, other_community, make_member, staff, rules, item):
    # Needs: four posted this year, three taken, two confirmed (5 and 4 stars → 4.5).
    make_need(community, to="confirmed", rating=5)
    make_need(community, to="confirmed", rating=4)
    make_need(community, to="taken")
    make_need(community)
    old = make_need(community, to="confirmed", rating=1)
    _last_year(Need, old, "created_at", "taken_at", "confirmed_at")
    make_need(other_community, to="confirmed", rating=1, phone="13811112222")
    # Wishes: one fulfilled here this year; one last year, one elsewhere.
    make_wish(community, to="fulfilled")
    _last_year(Wish, make_wish(community, to="fulfilled"), "created_at", "fulfilled_at")
    make_wish(other_community, to="fulfilled", phone="13911112222")
    # 双报到: two members and one unit; 6 + 2 hours of members, 12 of the unit; 30 points redeemed.
    a, b = make_member("13800000001"), make_member("13800000002")
    contact = make_member("13800000004", kind="unit_contact", unit_name="西山供电局党总支")
    members.decide_registration(registration=contact.unit, actor=staff, verified=True)
    for member, hours in ((a, "6"), (b, "2"), (contact, "12")):
        entry = members.log_hours(
            member=member, activity="助老", served_on=timezone.localdate(), hours=Decimal(hours)
        )
        members.decide_hours(hours=entry, actor=staff, confirmed=True)
    points.confirm_redemption(redemption=points.request_redemption(member=a, item=item), actor=staff)
    elsewhere = make_member("13800000009", community=other_community, verified=False)
    Member.objects.filter(pk=elsewhere.pk).update(registration=Registration.VERIFIED)
    # 议事协商: three proposed here this year, two taken up, one resolved and carried out,
    # rated 满意 and 不满意 (50%, 2.0 of 3).
    now = timezone.now()
    done = propose(community, title="甲")
    Topic.objects.filter(pk=done.pk).update(accepted_at=now, resolved_at=now, step=Step.DONE)
    OutcomeRating.objects.create(topic=done, device_key="a", rating="satisfied")
    OutcomeRating.objects.create(topic=done, device_key="b", rating="dissatisfied")
    Topic.objects.filter(pk=propose(community, title="乙").pk).update(accepted_at=now)
    propose(community, title="丙")
    _last_year(Topic, propose(community, title="丁"), "created_at")
    propose(other_community, title="戊", phone="139 0000 2222")


def _dd(label, value, unit):
    return f'<dt>{label}</dt><dd>{value}<span class="figure-unit">{unit}</span></dd>'


def test_report_shows_participation_and_deliberation_figures(client, report, records):
    html = client.get(report.url).content.decode()
    assert '<h2 id="participation-figures-title">居民参与</h2>' in html
    for text in [
        _dd("发布需求", 4, "件"),
        _dd("需求被认领", 3, "件"),
        _dd("需求已完成", 2, "件"),
        _dd("服务平均评分", "4.5", "/5 星"),
        _dd("微心愿实现", 1, "个"),
        _dd("报到单位", 1, "个"),
        _dd("报到党员群众", 2, "人"),
        _dd("单位服务时长", 12, "/12 小时"),
        _dd("个人服务时长", 8, "/12 小时"),
        _dd("发放积分", (60 + 5) + (20 + 5) + (120 + 5), "分"),
        _dd("兑换积分", 30, "分"),
        "单位 1 个、个人 1 人的服务时长已达年度目标",
        '<h2 id="deliberation-figures-title">议事协商</h2>',
        _dd("提出议题", 3, "个"),
        _dd("列入议程", 2, "个"),
        _dd("形成决议", 1, "个"),
        _dd("已落实", 1, "个"),
        _dd("结果满意率", "50.0", "%"),
        "2 条结果评价平均 2.0 分",
    ]:
        assert text in html, text
    # Figures only: nobody's name or phone number.
    for private in [
        "李秀英",
        "王建国",
        "李老师",
        "13812345678",
        "13900001111",
        "13700002222",
        "138 0013 8000",
    ]:
        assert private not in html, private


def test_report_without_participation_says_so(client, report):
    html = client.get(report.url).content.decode()
    assert _dd("发布需求", 0, "件") in html
    assert "本报告期内没有居民提出议题" in html


FIGURE_TABLES = {
    f"feedback_{name}"
    for name in (
        "need",
        "wish",
        "unit",
        "member",
        "servicehours",
        "pointentry",
        "redemption",
        "topic",
        "outcomerating",
    )
}


def _figure_queries(captured) -> int:
    return sum(1 for q in captured if re.search(r'FROM "(\w+)"', q["sql"]).group(1) in FIGURE_TABLES)


def test_report_figures_query_budget(client, report, records, community):
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(report.url)
    # needs 2 + 双报到/积分 7 + 议事协商 2, whatever the number of rows.
    assert _figure_queries(cold.captured_queries) == 11
    # Before: 12 without the new sections; a page of a report stays within 25 queries.
    assert len(cold.captured_queries) <= 25
    for n in range(3):
        make_need(community, to="confirmed", phone=f"1381234000{n}")
        propose(community, title=f"更多{n}")
    cache.clear()
    with CaptureQueriesContext(connection) as more:
        client.get(report.url)
    assert len(more.captured_queries) == len(cold.captured_queries)
    # Cached for a minute (FIGURES_SECONDS) like the complaint figures: no figure counted again.
    with CaptureQueriesContext(connection) as warm:
        client.get(report.url)
    assert _figure_queries(warm.captured_queries) == 0
