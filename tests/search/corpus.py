"""Builds the relevance test site (``relevance_cases``) under the demo home page."""

import datetime

from home.models import Community, SearchSynonym
from notices.models import (
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
    ReportPromise,
    ResidentReportIndexPage,
    ResidentReportPage,
)
from servicecatalog.models import (
    ServiceCategory,
    ServiceIndexPage,
    ServiceItemPage,
    ServiceMaterial,
    StationIndexPage,
    StationPage,
)

from . import relevance_cases as cases


def _index(home, model, title, slug):
    existing = model.objects.first()
    return existing or home.add_child(instance=model(title=title, slug=slug))


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_site(home) -> dict:
    """Publish every page of the test set; returns key → page."""
    for words in cases.SYNONYMS:
        SearchSynonym.objects.get_or_create(words=words)
    community = Community.objects.get(slug="fuxing")
    notices = _index(home, NoticeIndexPage, "通知公告", "notices")
    reports = _index(home, ResidentReportIndexPage, "向居民报告", "reports")
    services = _index(home, ServiceIndexPage, "办事指南", "services")
    stations = _index(home, StationIndexPage, "红色驿站", "stations")
    category, _ = NoticeCategory.objects.get_or_create(name="政策文件", defaults={"slug": "zhengce"})
    pages = {}
    for n, (key, data) in enumerate(cases.SERVICES.items()):
        service_category, _ = ServiceCategory.objects.get_or_create(
            name=data["category"], defaults={"slug": f"cat-{n}"}
        )
        page = ServiceItemPage(
            title=data["title"],
            slug=key.replace("_", "-"),
            summary=data["summary"],
            department=data["department"],
            conditions=data["conditions"],
            category=service_category,
            faq=[("faq", {"question": q, "answer": a}) for q, a in data["faq"]],
        )
        page.materials = [ServiceMaterial(name=name) for name in data["materials"]]
        pages[key] = _publish(services, page)
    for key, data in cases.STATIONS.items():
        page = StationPage(slug=key.replace("_", "-"), community=community, **data)
        pages[key] = _publish(stations, page)
    for key, data in cases.NOTICES.items():
        body = [("paragraph", f"<p>{data['body']}</p>")]
        fields = {k: v for k, v in data.items() if k != "body"}
        page = NoticePage(slug=key.replace("_", "-"), category=category, body=body, **fields)
        pages[key] = _publish(notices, page)
    for key, data in cases.REPORTS.items():
        page = ResidentReportPage(
            title=data["title"],
            slug=key.replace("_", "-"),
            community=community,
            period_label=data["period_label"],
            period_start=datetime.date(2026, 7, 1),
            period_end=datetime.date(2026, 9, 30),
            summary=data["summary"],
        )
        page.promises = [ReportPromise(title=title) for title in data["promises"]]
        pages[key] = _publish(reports, page)
    return pages


def add_notices(home, *, count: int, start: int = 0) -> None:
    """``count`` more notices about the 红色驿站, for query-count tests."""
    notices = _index(home, NoticeIndexPage, "通知公告", "notices")
    category, _ = NoticeCategory.objects.get_or_create(name="政策文件", defaults={"slug": "zhengce"})
    for n in range(start, start + count):
        page = NoticePage(
            title=f"红色驿站第{n}批开放时间调整",
            slug=f"station-hours-{n}",
            issuing_body="同心区总工会",
            summary="红色驿站开放时间延长到晚上十点",
            category=category,
            body=[("paragraph", "<p>快递员和外卖骑手可在红色驿站歇脚、充电、热饭。</p>")],
        )
        _publish(notices, page)
