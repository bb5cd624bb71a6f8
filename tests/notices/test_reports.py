"""Residents read what their community promised and did (向居民报告)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from home.models import Community
from notices.figures import report_figures
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
    # Complaint figures come from feedback; until wired, nothing is shown and nothing is typed in.
    assert "居民反映问题办理情况" not in html


def test_report_figures_are_left_to_feedback(report_index):
    report = ResidentReportPageFactory(parent=report_index)
    assert report_figures(report) is None
    assert "feedback.selectors" in report_figures.__doc__


def test_complaint_figures_include_renders_only_when_given():
    assert render_to_string("notices/includes/report_figures.html", {}).strip() == ""
    html = render_to_string(
        "notices/includes/report_figures.html",
        {
            "complaint_figures": {
                "received": 48,
                "resolved": 45,
                "on_time_rate": 93.75,
                "satisfaction_rate": None,
            }
        },
    )
    assert "受理" in html and ">48<" in html and ">45<" in html
    assert "93.8" in html
    assert "满意率</dt><dd>—" in html


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
