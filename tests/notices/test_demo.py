"""The demo content an editor and a reviewer see after ``load_initial_data``."""

from wagtail.models import WorkflowPage

from notices import demo
from notices.models import NoticeCategory, NoticePage, ResidentReportPage, Validity


def test_demo_notices_and_reports_load_idempotently(demo_site, client):
    before = sorted(NoticePage.objects.values_list("slug", "validity", "replaced_by__slug", "live"))
    demo.load()
    after = sorted(NoticePage.objects.values_list("slug", "validity", "replaced_by__slug", "live"))
    assert before == after

    live = NoticePage.objects.live()
    assert live.count() >= 15
    assert NoticeCategory.objects.filter(notices__live=True).distinct().count() >= 5
    assert live.filter(is_pinned=True).exists() and live.filter(is_urgent=True).exists()
    assert live.filter(attachments__isnull=False).exists()
    revised = live.filter(validity=Validity.REVISED)
    assert revised.exists() and all(
        n.replaced_by and n.replaced_by.validity == Validity.CURRENT for n in revised
    )
    assert live.filter(validity=Validity.REPEALED, replaced_by__isnull=True).exists()
    scheduled = NoticePage.objects.get(slug="yuandan-fuwu-anpai-2027")
    assert not scheduled.live and scheduled.go_live_at is not None

    reports = ResidentReportPage.objects.live()
    assert reports.values("community").distinct().count() >= 3
    assert all(r.promises.count() >= 3 for r in reports)

    assert WorkflowPage.objects.filter(workflow__name=demo.NOTICE_WORKFLOW).count() == 1
    assert WorkflowPage.objects.filter(workflow__name=demo.REPORT_WORKFLOW).count() == 1
    for url in ["/notices/", "/reports/", revised.first().url, reports.first().url, "/notices/feed/", "/"]:
        assert client.get(url).status_code == 200, url
