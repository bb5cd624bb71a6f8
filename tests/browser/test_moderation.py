"""Journey 4: a moderator dispatches, answers and resolves a report in the Wagtail admin;
the resident is not satisfied, and the report goes back to work."""

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, admin_login, small_jpeg, wait_fill_time
from tests.browser.steps import submit_report

REPLY = "经现场查看，3 栋楼下路灯的灯泡和镇流器已损坏，已于今日更换，夜间照明恢复正常。"


def _state_heading(page):
    return page.locator("h2.w-h3").first


def test_moderator_resolves_report_and_unsatisfied_resident_reopens_it(chromium, live_site, shot, tmp_path):
    resident = chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE).new_page()
    mobile = "13987650344"
    reference = submit_report(resident, live_site, phone=mobile, photo=small_jpeg(tmp_path))
    tracking_url = resident.get_by_role("link", name="查看办理进度").get_attribute("href")

    staff_context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **DESKTOP)
    staff = staff_context.new_page()
    admin_login(staff, live_site)
    staff.goto("/admin/feedback/complaint/")
    search = staff.get_by_role("textbox", name=re.compile("搜索")).last
    search.fill(reference)
    search.press("Enter")
    row = staff.locator("tbody tr", has_text=reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("待受理")
    expect(row).to_contain_text("139****0344")
    shot(staff, "queue-search")

    row.get_by_role("link", name="查看/处理").click()
    expect(_state_heading(staff)).to_contain_text(f"{reference} · 待受理")
    expect(staff.get_by_text(mobile)).to_be_visible()  # moderators see the full number
    expect(staff.locator("img[alt^='居民上传的照片']")).to_have_count(1)
    shot(staff, "inspect-submitted")

    deadline = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=5)
    staff.get_by_role("link", name="受理并派单").click()
    staff.get_by_label("办结时限").fill(deadline.isoformat())
    staff.get_by_label(re.compile("派单说明")).fill("请市政维护队 5 日内到场更换路灯。")
    shot(staff, "dispatch-form")
    staff.get_by_role("button", name="派单").click()
    expect(_state_heading(staff)).to_contain_text("已派单")
    expect(staff.locator("dl")).to_contain_text(deadline.isoformat())

    staff.get_by_role("link", name="办结答复").click()
    staff.get_by_role("textbox", name=re.compile("答复")).fill(REPLY)
    staff.get_by_role("button", name="办结答复").click()
    expect(_state_heading(staff)).to_contain_text("已办结")
    shot(staff, "inspect-resolved")

    resident.goto(tracking_url)
    expect(resident.locator(".reply")).to_contain_text("已于今日更换")
    expect(resident.locator(".card").first).to_contain_text("已办结")
    expect(resident.locator(".card").first).to_contain_text(
        f"{deadline.year}年{deadline.month}月{deadline.day}日"
    )
    shown_at = time.monotonic()
    resident.get_by_label("不满意").check()
    resident.get_by_label(re.compile("^意见")).fill("换了两天又不亮了。")
    shot(resident, "rating")
    wait_fill_time(resident, shown_at)
    resident.get_by_role("button", name="提交评价").tap()
    expect(resident.locator(".flash")).to_contain_text("已重新交办")
    expect(resident.locator(".card").first).to_contain_text("重新办理")
    shot(resident, "reopened")

    staff.reload()
    expect(_state_heading(staff)).to_contain_text(f"{reference} · 重新办理")
    event = staff.locator("table.listing tbody tr").last
    expect(event).to_contain_text("居民不满意，重新办理")
    expect(event).to_contain_text("已办结 → 重新办理")
    expect(event).to_contain_text("居民评价：不满意")
    shot(staff, "inspect-reopened")
    assert live_site.query("SELECT state FROM feedback_complaint WHERE reference = ?", (reference,)) == [
        ("reopened",)
    ]
    staff_context.close()
    resident.context.close()
