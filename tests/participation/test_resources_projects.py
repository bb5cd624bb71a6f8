"""资源清单 (search by words and pinyin, filters) and 项目清单 (from reports to residents)."""

import datetime

import pytest
from django.urls import reverse

from feedback.participation.models import Resource
from feedback.participation.selectors import community_projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def resources(community, other_community):
    return [
        Resource.objects.create(
            kind="service",
            title="家电维修",
            provider="西山区供电局党支部",
            community=community,
            description="每月第一个周六免费维修小家电。",
            hours="每月第一个周六 9:00–12:00",
            contact_phone="0871-68100000",
        ),
        Resource.objects.create(
            kind="venue",
            title="活动室",
            provider="马街小学",
            community=other_community,
            description="周末开放给社区文体队排练。",
        ),
        Resource.objects.create(
            kind="skill",
            title="法律咨询",
            provider="云岭律师事务所",
            community=None,
            description="每周三坐班。",
        ),
    ]


def test_search_by_word_and_pinyin(client, resources):
    html = client.get(reverse("participation:resources"), {"q": "维修"}).content.decode()
    assert "家电维修" in html and "活动室" not in html
    html = client.get(reverse("participation:resources"), {"q": "jiadian"}).content.decode()
    assert "家电维修" in html and "法律咨询" not in html
    html = client.get(reverse("participation:resources"), {"q": "flzx"}).content.decode()
    assert "法律咨询" in html and "家电维修" not in html


def test_contact_phone_of_organisation_is_public(client, resources):
    html = client.get(reverse("participation:resources")).content.decode()
    assert "0871-68100000" in html


def test_community_filter_includes_street_wide(client, resources):
    html = client.get(reverse("participation:resources"), {"community": "majie"}).content.decode()
    assert "活动室" in html and "法律咨询" in html and "家电维修" not in html
    html = client.get(reverse("participation:resources"), {"kind": "venue"}).content.decode()
    assert "活动室" in html and "法律咨询" not in html


def test_resource_query_count_flat(client, resources, community, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("participation:resources"))
    for i in range(10):
        Resource.objects.create(
            kind="goods", title=f"物资{i}", provider="爱心超市", community=community, description="-"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("participation:resources"))


def test_projects_are_the_promises_of_published_reports(client, community, home_page):
    from notices.models import ReportPromise, ResidentReportPage

    year = datetime.date.today().year
    report = ResidentReportPage(
        title="碧鸡社区向居民报告",
        slug="biji-report",
        community=community,
        period_label=f"{year}年上半年",
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 6, 30),
        summary="上半年工作。",
    )
    home_page.add_child(instance=report)
    ReportPromise.objects.create(page=report, title="加装电梯 2 部", status="in_progress", progress=40)
    ReportPromise.objects.create(page=report, title="长者食堂开业", status="done", progress=100)
    groups = community_projects()
    assert len(groups) == 1 and groups[0]["average_progress"] == 70 and groups[0]["done"] == 1
    html = client.get(reverse("participation:projects")).content.decode()
    assert "加装电梯 2 部" in html and "长者食堂开业" in html and "平均进度 70%" in html
    report.unpublish()
    assert community_projects() == []
