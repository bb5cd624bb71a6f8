"""Lists a resident reads stay the same size, cost the same queries and about the same
time with a few dozen items and with 10,000: each is paged, and nothing on it is counted
or drawn once per item in the whole list. Two lists are built side by side (two index
pages, or two communities of the public board) and visited in turn, so that other work on
the machine slows both alike. The page cache is off and fragments are cleared before every
visit, so what is measured is the view itself (``growth.measure_pair``)."""

import datetime

import pytest
from django.utils import timezone

from feedback.complaints.models import Complaint, Kind, State
from notices.models import NoticePage, ResidentReportPage
from portal.bulk import analyze
from servicecatalog.models import ServiceItemPage
from tests.factories.feedback import ComplaintCategoryFactory, HandlingUnitFactory
from tests.factories.home import CommunityFactory
from tests.factories.notices import (
    NoticeCategoryFactory,
    NoticeIndexPageFactory,
    ResidentReportIndexPageFactory,
)
from tests.factories.servicecatalog import ServiceCategoryFactory, ServiceIndexPageFactory

from .growth import grow_pages, measure_pair

SMALL, LARGE = 45, 10_000  # 45: more than two full pages of every list
BYTES_FACTOR = 1.25  # the pager shows a few more page numbers, nothing per item
# Medians of three cold visits each, on a machine other work shares: a list that reads or
# draws every item is 10-100 × slower at 10,000; a flat one is within noise.
TIME_FACTOR = 3.0
TIME_SLACK = 0.03  # seconds: a 20 ms page that becomes 60 ms is noise, not growth


def assert_flat(path: str, small: tuple[int, int, float], large: tuple[int, int, float]) -> None:
    (small_bytes, small_queries, small_time), (large_bytes, large_queries, large_time) = small, large
    report = f"{path}: {SMALL} items {small}, {LARGE} items {large} (bytes, queries, seconds)"
    assert large_queries == small_queries, report
    assert large_bytes <= small_bytes * BYTES_FACTOR, report
    assert large_time <= small_time * TIME_FACTOR + TIME_SLACK, report


@pytest.fixture
def cold(settings):
    settings.PAGE_CACHE_SECONDS = 0


def _grow_and_compare(client, small_path, large_path, grow) -> None:
    """``grow(which, start, n)`` adds ``n`` items to the small or the large list."""
    grow("small", 0, SMALL)
    grow("large", 0, LARGE)
    # As after an import through portal.bulk (manage.py analyze_tables): on PostgreSQL the
    # session's demo load analysed these tables at demo size, and statistics that stale
    # are a different problem (tests/performance/test_query_plans.py, issue 25's note).
    analyze()
    small, large = measure_pair(client, small_path, large_path, runs=3)
    assert_flat(large_path, small, large)


def test_notice_list_stays_flat_from_10_to_10000_notices(client, home_page, cold):
    indexes = {
        "small": NoticeIndexPageFactory(parent=home_page, slug="notices"),
        "large": NoticeIndexPageFactory(parent=home_page, slug="archive", title="通知公告（档案）"),
    }
    categories = [NoticeCategoryFactory(slug=f"flat-{i}") for i in range(3)]

    def notice(i):
        return {
            "title": f"关于第{i}批社区事务的通知",
            "slug": "notice",
            "issuing_body": "同心区人民政府办公室",
            "document_number": f"同政办发〔2026〕{i}号",
            "published_on": datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 2000),
            "category_id": categories[i % 3].pk,
            "summary": "关于社区事务安排的通知摘要。",
            "body": [{"type": "paragraph", "value": "<p>正文。</p>"}],
            "is_pinned": i % 500 == 0,
        }

    _grow_and_compare(
        client,
        "/notices/",
        "/archive/",
        lambda which, start, n: grow_pages(indexes[which], NoticePage, n, lambda i: notice(start + i)),
    )
    html = client.get("/archive/?page=300").content.decode()
    assert "关于第" in html  # the grown notices are listed, not just counted


def test_service_list_stays_flat_from_10_to_10000_services(client, home_page, cold):
    indexes = {
        "small": ServiceIndexPageFactory(parent=home_page, slug="services"),
        "large": ServiceIndexPageFactory(parent=home_page, slug="all-services", title="办事指南（全市）"),
    }
    categories = [ServiceCategoryFactory(slug=f"flat-{i}") for i in range(3)]

    def service(i):
        return {
            "title": f"社区事项{i:05d}",
            "slug": "service",
            "category_id": categories[i % 3].pk,
            "department": "同心区民政局",
            "conditions": "<p>本区户籍居民。</p>",
        }

    _grow_and_compare(
        client,
        "/services/",
        "/all-services/",
        lambda which, start, n: grow_pages(indexes[which], ServiceItemPage, n, lambda i: service(start + i)),
    )
    assert "社区事项" in client.get("/all-services/?page=200").content.decode()


def test_report_list_stays_flat_from_10_to_10000_reports(client, home_page, cold):
    indexes = {
        "small": ResidentReportIndexPageFactory(parent=home_page, slug="reports"),
        "large": ResidentReportIndexPageFactory(
            parent=home_page, slug="all-reports", title="向居民报告（全市）"
        ),
    }
    communities = [CommunityFactory(slug=f"flat-{i}") for i in range(3)]

    def report(i):
        end = datetime.date(2026, 9, 30) - datetime.timedelta(days=i)
        return {
            "title": f"第{i}期向居民报告",
            "slug": "report",
            "community_id": communities[i % 3].pk,
            "period_label": "季度报告",
            "period_start": end - datetime.timedelta(days=90),
            "period_end": end,
            "summary": "本季度推进实事三件。",
        }

    _grow_and_compare(
        client,
        "/reports/",
        "/all-reports/",
        lambda which, start, n: grow_pages(
            indexes[which], ResidentReportPage, n, lambda i: report(start + i)
        ),
    )


def test_public_board_stays_flat_from_10_to_10000_reports(client, site, cold):
    communities = {"small": CommunityFactory(slug="small"), "large": CommunityFactory(slug="large")}
    category = ComplaintCategoryFactory(default_unit=HandlingUnitFactory())
    now = timezone.now()

    def grow(which, start, n):
        Complaint.objects.bulk_create(
            Complaint(
                reference=f"{which[0].upper()}{start + i:012d}",
                tracking_token=f"{which}-{start + i}",
                kind=Kind.COMPLAINT,
                category=category,
                community=communities[which],
                description="楼道灯坏了，晚上看不清。",
                phone="13812345678",
                allow_public=True,
                privacy_notice_version="2026-11",
                consented_at=now,
                state=State.RESOLVED,
                handling_unit=category.default_unit,
                reply="已更换灯泡。",
                public_text="楼道灯坏了，晚上看不清。",
                public_text_approved_at=now,
                # An archive: ten thousand reports over three years (one every 2½ hours).
                created_at=now - datetime.timedelta(minutes=150 * (start + i)),
                resolved_at=now,
                resolved_on_time=True,
            )
            for i in range(n)
        )

    # Each list's own community: the figures beside it count that community's reports.
    _grow_and_compare(client, "/feedback/public/?community=small", "/feedback/public/?community=large", grow)
    assert "已更换灯泡" in client.get("/feedback/public/?community=large&page=300").content.decode()
