"""Residents read what their community promised and did (向居民报告)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.models import Community
from notices.models import ReportPromise
from tests.factories.home import CommunityFactory
from tests.factories.notices import ReportFigureFactory, ReportPromiseFactory, ResidentReportPageFactory

pytestmark = pytest.mark.django_db


def test_resident_reads_a_report_with_promises_and_figures(client, report_index):
    report = ResidentReportPageFactory(
        parent=report_index,
        title="复兴社区2026年第三季度向居民报告",
        community=Community.objects.get(slug="fuxing"),
        period_label="2026年第三季度",
        summary="本季度推进5件实事。",
    )
    ReportPromiseFactory(
        page=report, title="加装电梯2部", status="in_progress", progress=70, note="正在安装轿厢"
    )
    ReportPromiseFactory(page=report, title="长者食堂送餐", status="done", progress=100)
    ReportPromiseFactory(
        page=report,
        title="适老化改造",
        status="not_started",
        progress=0,
        expected_on=datetime.date(2020, 1, 1),
    )
    ReportFigureFactory(page=report, label="新增停车位", value=120, unit="个")

    html = client.get(report.url).content.decode()
    for text in [
        "复兴社区2026年第三季度向居民报告",
        "复兴街道 复兴社区",
        "2026年第三季度（2026年7月1日—2026年9月30日）",
        "本季度推进5件实事。",
        "加装电梯2部",
        "进行中",
        '<progress max="100" value="70"',
        "正在安装轿厢",
        "已完成",
        "未开始",
        "已超预计时间",
        "新增停车位",
        '120<span class="figure-unit">个</span>',
        "最后更新",
    ]:
        assert text in html, text


def _complaint(community, day, **fields):
    from tests.factories.feedback import ComplaintFactory

    complaint = ComplaintFactory(community=community, **fields)
    # created_at is set on insert; move it into (or out of) the report's period.
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    type(complaint).objects.filter(pk=complaint.pk).update(created_at=moment)
    return complaint


def test_report_figures_are_computed_from_residents_reports(client, report_index):
    fuxing = Community.objects.get(slug="fuxing")
    report = ResidentReportPageFactory(
        parent=report_index,
        community=fuxing,
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 9, 30),
    )
    resolved = {"state": "closed", "resolved_at": timezone.now()}
    _complaint(fuxing, datetime.date(2026, 7, 3), resolved_on_time=True, rating="satisfied", **resolved)
    _complaint(fuxing, datetime.date(2026, 8, 15), resolved_on_time=False, rating="dissatisfied", **resolved)
    _complaint(fuxing, datetime.date(2026, 9, 30), resolved_on_time=True, rating="basically", **resolved)
    _complaint(fuxing, datetime.date(2026, 9, 20))  # still waiting
    _complaint(fuxing, datetime.date(2026, 10, 1), **resolved)  # after the period
    _complaint(CommunityFactory(slug="other"), datetime.date(2026, 8, 1), **resolved)  # elsewhere

    html = client.get(report.url).content.decode()
    assert "居民反映问题办理情况" in html
    assert '<dt>受理</dt><dd>4<span class="figure-unit">件</span>' in html
    assert '<dt>办结</dt><dd>3<span class="figure-unit">件</span>' in html
    assert '<dt>按期办结率</dt><dd>66.7<span class="figure-unit">%</span>' in html
    assert '<dt>办理满意率</dt><dd>66.7<span class="figure-unit">%</span>' in html


def test_report_without_residents_reports_says_so(client, report_index):
    report = ResidentReportPageFactory(parent=report_index, community=Community.objects.get(slug="fuxing"))
    html = client.get(report.url).content.decode()
    assert "本报告期内没有收到居民反映的问题" in html
    assert "按期办结率" not in html


def test_promise_status_and_progress_must_agree(report_index):
    report = ResidentReportPageFactory(parent=report_index)
    with pytest.raises(ValidationError):
        ReportPromise(page=report, title="x", status="done", progress=80).full_clean()
    with pytest.raises(ValidationError):
        ReportPromise(page=report, title="x", status="not_started", progress=10).full_clean()
    with pytest.raises(ValidationError):
        ReportPromise(page=report, title="x", status="in_progress", progress=101).full_clean()


def test_report_list_filters_by_community(client, report_index):
    fuxing = Community.objects.get(slug="fuxing")
    ResidentReportPageFactory(parent=report_index, title="复兴的报告", community=fuxing)
    ResidentReportPageFactory(parent=report_index, title="昆仑的报告", community=CommunityFactory(slug="kl"))
    html = client.get("/reports/?community=fuxing").content.decode()
    assert "复兴的报告" in html and "昆仑的报告" not in html
    assert client.get("/reports/?community=../../etc").status_code == 200


def _build_reports(report_index, n):
    for _ in range(n):
        report = ResidentReportPageFactory(parent=report_index)
        ReportPromiseFactory(page=report, status="done", progress=100)
        ReportPromiseFactory(page=report)


def test_report_list_query_count_does_not_grow(client, report_index, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/reports/")
    _build_reports(report_index, 5)
    with CaptureQueriesContext(connection) as few:
        html = client.get("/reports/").content.decode()
    assert "为民实事 2 项，已完成 1 项" in html
    _build_reports(report_index, 10)
    with CaptureQueriesContext(connection) as many:
        client.get("/reports/")
    assert len(few.captured_queries) == len(many.captured_queries) <= 12
