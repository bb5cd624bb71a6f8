"""Journey 6: a resident rates a station; the comment shows only after a moderator approves it."""

import re
import secrets
import time

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, admin_login, solve_captcha, wait_fill_time

STATION = "/stations/fuxing-shangquan/"


def test_station_rating_comment_appears_only_after_moderator_approves(phone, chromium, live_site, shot):
    comment = f"夜里十一点来充电，值班的大姐还给倒了热水，谢谢！（{secrets.token_hex(3)}）"
    page = phone
    page.goto(STATION)
    title = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="我要评议").tap()
    shown_at = time.monotonic()
    expect(page.locator(".target-name")).to_have_text(title)
    overall = page.get_by_role("group", name=re.compile("^总体评价"))
    overall.locator("label.star", has_text="（4 星）").tap()  # the star, not the hidden radio
    expect(overall.get_by_label(re.compile("（4 星）"))).to_be_checked()
    page.get_by_label(re.compile("^评议意见")).fill(comment)
    page.get_by_label("我已阅读并同意").check()
    solve_captcha(page, live_site)
    shot(page, "evaluate-form")
    wait_fill_time(page, shown_at)
    page.get_by_role("button", name="提交评议").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("感谢您的评议|已更新您本季度的评议"))
    shot(page, "thanks")

    page.goto(STATION)
    expect(page.locator(".rating-summary")).to_be_visible()
    expect(page.get_by_text(comment)).to_have_count(0)  # waits for moderation

    staff_context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **DESKTOP)
    staff = staff_context.new_page()
    admin_login(staff, live_site)
    staff.goto("/admin/feedback/evaluation/")
    search = staff.get_by_role("textbox", name=re.compile("搜索")).last
    search.fill(comment[-7:-1])
    search.press("Enter")
    row = staff.locator("tbody tr", has_text=comment[:10])
    expect(row).to_have_count(1)
    expect(row).to_contain_text(title)
    shot(staff, "evaluation-queue")
    row.get_by_role("link", name="查看/审核").click()
    staff.get_by_role("button", name="公开", exact=True).click()
    expect(staff.locator(".messages")).to_contain_text("1 条评议已公开")
    shot(staff, "approved")
    staff_context.close()

    page.goto(STATION)
    expect(page.locator(".rating-comments")).to_contain_text(comment)
    shot(page, "station-with-comment")
