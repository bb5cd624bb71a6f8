"""Staff journeys on the moderators' queue, at a desktop width (1366 px) and a phone's
(390 px): a moderator dispatches a report with the deadline the form prefills (not
typed), replies and resolves it; a moderator rejects two reports as spam in bulk.

Screenshots go to artifacts/browser/<test>/ and, to look at while working on the
queue, to /tmp/shots-queue/.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, admin_login

SHOTS = Path("/tmp/shots-queue")
WIDTHS = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": PHONE,
}
MODERATOR = "queue-moderator"
PASSWORD = "queue-moderator-2026"
REPLY = "经现场查看，楼道灯的开关已损坏，物业已于今日更换，照明恢复正常。"


@pytest.fixture(scope="module")
def moderator(live_site):
    """A street moderator: may view and handle reports of every community (no personal data)."""
    live_site.shell(
        f"""
from django.contrib.auth.models import Permission, User
from feedback.common.scopes import StaffScope
user, _ = User.objects.get_or_create(username={MODERATOR!r})
user.set_password({PASSWORD!r}); user.save()
user.user_permissions.set(Permission.objects.filter(
    codename__in=["access_admin", "view_complaint", "change_complaint"]))
StaffScope.objects.update_or_create(user=user, defaults={{"all_communities": True}})
"""
    )
    return MODERATOR


def _new_reports(live_site, *descriptions: str) -> list[dict]:
    """Reports as residents send them (through the service), with the deadline the
    dispatch form should offer for each."""
    out = live_site.shell(
        f"""
import json
from django.utils import timezone
from feedback.complaints.selectors import promised_deadline
from feedback.complaints.services import submit_complaint
from feedback.models import ComplaintCategory
from home.models import Community
category = ComplaintCategory.objects.filter(default_unit__isnull=False).order_by("pk").first()
community = Community.objects.get(name="复兴社区")
rows = []
for text in {list(descriptions)!r}:
    c = submit_complaint(kind="help", category=category, community=community, description=text,
                         phone="13700001234", privacy_notice_version="test")
    rows.append({{"reference": c.reference, "pk": c.pk,
                 "deadline": promised_deadline(complaint=c, start=timezone.localdate()).isoformat(),
                 "unit": category.default_unit.name}})
print(json.dumps(rows))
"""
    )
    return json.loads(out.strip().splitlines()[-1])


def _staff_page(chromium, live_site, width: str):
    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **WIDTHS[width])
    page = context.new_page()
    admin_login(page, live_site, MODERATOR, PASSWORD)
    return context, page


def _save(page, shot, name: str, width: str):
    shot(page, f"{name}-{width}")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", WIDTHS)
def test_moderator_dispatches_with_the_prefilled_deadline_replies_and_resolves(
    chromium, live_site, moderator, shot, width
):
    (report,) = _new_reports(live_site, "2 单元楼道的灯一直不亮，晚上上下楼看不清台阶，请尽快维修。")
    context, page = _staff_page(chromium, live_site, width)
    page.goto(f"/admin/feedback/complaint/?q={report['reference']}")
    row = page.locator("tbody tr", has_text=report["reference"])
    expect(row).to_have_count(1)
    expect(row).to_contain_text("待受理")
    expect(row).to_contain_text("2 单元楼道的灯一直不亮")
    _no_sideways_scroll(page)
    _save(page, shot, "queue-search", width)

    row.get_by_role("link", name="查看/处理").click()
    page.get_by_role("link", name="受理并派单").click()
    deadline = page.get_by_label("办结时限")
    # The category's default deadline, shown by the browser's own date input.
    expect(deadline).to_have_value(report["deadline"])
    assert page.evaluate("document.querySelector('input[name=deadline]').valueAsDate !== null")
    _save(page, shot, "dispatch-form", width)
    page.get_by_role("button", name="派单").click()  # nothing typed
    heading = page.locator("h2.w-h3").first
    expect(heading).to_contain_text(f"{report['reference']} · 已派单")
    expect(page.locator("dl")).to_contain_text(report["deadline"])
    expect(page.locator("dl")).to_contain_text(report["unit"])

    page.get_by_role("link", name="办结答复").click()
    page.get_by_role("textbox", name=re.compile("答复")).fill(REPLY)
    page.get_by_role("button", name="办结答复").click()
    expect(heading).to_contain_text("已办结")
    expect(page.locator("dl")).to_contain_text("物业已于今日更换")
    _save(page, shot, "resolved", width)
    state = live_site.query("SELECT state, deadline FROM feedback_complaint WHERE id = ?", (report["pk"],))
    assert state == [("resolved", report["deadline"])]
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_moderator_rejects_two_reports_as_spam_in_bulk(chromium, live_site, moderator, shot, width):
    spam = _new_reports(live_site, f"加微信领红包 {width} 一", f"加微信领红包 {width} 二")
    context, page = _staff_page(chromium, live_site, width)
    page.goto(f"/admin/feedback/complaint/?q=加微信领红包 {width}")
    # The filters are folded behind 筛选, above the list; they unfold on a tap.
    filters = page.locator("details.queue-filters")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.get_by_role("link", name="待受理", exact=True)).to_be_hidden()
    page.get_by_text("筛选", exact=True).click()
    expect(page.get_by_role("link", name="待受理", exact=True)).to_be_visible()
    _save(page, shot, "filters-open", width)
    page.get_by_text("筛选", exact=True).click()
    _no_sideways_scroll(page)
    for report in spam:
        page.get_by_label(f"选择反映 {report['reference']}").check()
    page.get_by_label("操作").select_option(label="不予受理：无效信息")
    _save(page, shot, "bulk-spam-ticked", width)
    page.get_by_role("button", name="执行").click()
    message = page.locator(".messages")
    expect(message).to_contain_text("批量不予受理（无效信息）：2 条已完成")
    for report in spam:
        expect(message).to_contain_text(report["reference"])
        expect(page.locator("tbody tr", has_text=report["reference"])).to_contain_text("不予受理")
    _no_sideways_scroll(page)
    _save(page, shot, "bulk-spam-done", width)
    rows = live_site.query(
        "SELECT state, reject_reason FROM feedback_complaint WHERE id IN (?, ?)",
        (spam[0]["pk"], spam[1]["pk"]),
    )
    assert rows == [("rejected", "spam"), ("rejected", "spam")]
    context.close()
