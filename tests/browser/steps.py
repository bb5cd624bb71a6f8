"""Steps several journeys share: filling in the problem report and looking a report up."""

import re
import time

from playwright.sync_api import expect

from tests.browser.conftest import solve_captcha, wait_fill_time

DESCRIPTION = "小区 3 栋楼下的路灯已经坏了一个星期，晚上回家很黑，老人容易摔倒，希望尽快修好。"


def open_report_form(page) -> float:
    page.goto("/feedback/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我要反映")
    return time.monotonic()


def fill_report(page, *, phone: str, description: str = DESCRIPTION, photo=None) -> None:
    """Fill every field a resident fills; leaves the captcha and the submit to the caller."""
    page.get_by_label("求助").check()
    page.get_by_label("问题分类").select_option(label="道路设施")
    page.get_by_label("所在社区").select_option(label="复兴社区")
    page.get_by_label("具体地点").fill("复兴路 88 号小区 3 栋楼下")
    page.get_by_label("问题描述").fill(description)
    if photo is not None:
        page.get_by_label(re.compile("^照片")).set_input_files(photo)
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("我已阅读并同意").check()


def submit_report(page, live_site, *, phone: str, photo=None) -> str:
    """A resident reports a problem without mistakes; returns the reference number."""
    shown_at = open_report_form(page)
    fill_report(page, phone=phone, photo=photo)
    solve_captcha(page, live_site)
    wait_fill_time(page, shown_at)
    page.get_by_role("button", name="提交反映").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("反映已提交")
    return page.locator(".confirmation .reference").inner_text().strip()


def track_report(page, live_site, *, reference: str, phone: str) -> None:
    page.goto("/feedback/track/")
    shown_at = time.monotonic()
    page.get_by_label("反映编号").fill(reference)
    page.get_by_label("手机号后 4 位").fill(phone[-4:])
    solve_captcha(page, live_site)
    wait_fill_time(page, shown_at)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("办理进度")
    expect(page.locator(".reference-inline")).to_have_text(reference)
