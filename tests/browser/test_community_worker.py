"""Journey 6: a community worker of 复兴社区 signs in, finds another community's report and
page closed to them (404, 403), and edits their own community's report to residents and
submits it for review — on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, admin_login

WORKER = "shequ_fuxing"
SCREENS = {"desktop": {"viewport": {"width": 1366, "height": 900}}, "phone": PHONE}


def staff_login(page, live_site, username: str) -> None:
    """Sign a demo staff member in (password from ``DEMO_STAFF_PASSWORD``); the one place
    to add a second factor when staff sign-in gets one."""
    admin_login(page, live_site, username, live_site.staff_password)


def _one(live_site, sql: str):
    return live_site.query(sql)[0][0]


@pytest.mark.parametrize("screen", SCREENS)
def test_community_worker_meets_only_their_community(chromium, live_site, shot, screen):
    chunyu_report = _one(
        live_site,
        "SELECT c.id FROM feedback_complaint c JOIN home_community m ON m.id = c.community_id "
        "WHERE m.slug = 'chunyu' LIMIT 1",
    )
    chunyu_station = _one(
        live_site,
        "SELECT s.page_ptr_id FROM servicecatalog_stationpage s JOIN home_community m ON m.id = s.community_id "
        "WHERE m.slug = 'chunyu' LIMIT 1",
    )
    own_page, own_title = live_site.query(
        "SELECT p.id, p.title FROM notices_residentreportpage r JOIN wagtailcore_page p ON p.id = r.page_ptr_id "
        "JOIN home_community m ON m.id = r.community_id WHERE m.slug = 'fuxing' LIMIT 1"
    )[0]
    # Each run submits afresh: end a review the other screen size may have started.
    live_site.shell(
        "from wagtail.models import WorkflowState\n"
        f"WorkflowState.objects.filter(object_id='{own_page}', status='in_progress').update(status='cancelled')"
    )

    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **SCREENS[screen])
    page = context.new_page()
    staff_login(page, live_site, WORKER)
    shot(page, f"{screen}-dashboard")

    response = page.goto(f"/admin/feedback/complaint/inspect/{chunyu_report}/")
    assert response.status == 404
    shot(page, f"{screen}-other-community-report-404")

    response = page.goto(f"/admin/pages/{chunyu_station}/edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="无权操作此页面")).to_be_visible()
    shot(page, f"{screen}-other-community-page-403")

    page.goto("/admin/feedback/complaint/")
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    communities = set(page.locator("tbody .queue-community").all_inner_texts())
    assert communities == {"复兴社区"}, communities
    shot(page, f"{screen}-queue")

    page.goto(f"/admin/pages/{own_page}/edit/")
    expect(page.locator("#id_title")).to_have_value(own_title)
    summary = page.locator("#id_summary")
    note = f"（{screen}端更新：加装电梯 2 台已完工。）"
    summary.fill(re.sub(r"（\w+端更新：.*?）", "", summary.input_value())[:300] + note)
    shot(page, f"{screen}-own-page-edit")
    page.get_by_role("button", name="更多动作").first.click()
    page.get_by_role("button", name="提交给向居民报告审核").click()
    expect(page.locator(".messages")).to_contain_text("已经提交进行审核")
    shot(page, f"{screen}-own-page-submitted")
    assert live_site.query(
        "SELECT status FROM wagtailcore_workflowstate WHERE object_id = ? ORDER BY id DESC LIMIT 1",
        (str(own_page),),
    ) == [("in_progress",)]
    context.close()
