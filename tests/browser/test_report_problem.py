"""Journey 3: a resident reports a problem with a photo, fixes a mistake, then tracks it."""

import re
import time

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, small_jpeg, solve_captcha, wait_fill_time
from tests.browser.steps import DESCRIPTION, fill_report, open_report_form, track_report


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_resident_reports_problem_with_photo_and_tracks_it(phone, live_site, shot, tmp_path):
    page = phone
    photo = small_jpeg(tmp_path)
    mobile = "13987650311"
    shown_at = open_report_form(page)
    shot(page, "empty-form")

    # First attempt: no description and a phone number one digit short.
    fill_report(page, phone=mobile[:-1], description="", photo=photo)
    solve_captcha(page, live_site)
    wait_fill_time(page, shown_at)
    page.get_by_role("button", name="提交反映").tap()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("提交未成功")
    expect(summary).to_contain_text("请填写问题描述")
    expect(summary).to_contain_text("请填写 11 位手机号码")
    expect(summary).to_be_focused()
    # What was typed is kept.
    expect(page.get_by_label("具体地点")).to_have_value("复兴路 88 号小区 3 栋楼下")
    expect(page.get_by_label("手机号")).to_have_value(mobile[:-1])
    shot(page, "errors")

    # The summary links lead to the fields.
    summary.get_by_role("link", name=re.compile("问题描述")).tap()
    expect(page.get_by_label("问题描述")).to_be_focused()

    page.get_by_label("问题描述").fill(DESCRIPTION)
    page.get_by_label("手机号").fill(mobile)
    page.get_by_label(re.compile("^照片")).set_input_files(photo)  # files are never kept
    solve_captcha(page, live_site)
    page.get_by_role("button", name="提交反映").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("反映已提交")
    reference = page.locator(".confirmation .reference").inner_text().strip()
    assert re.fullmatch(r"\d{8}-[0-9A-Z]{4}", reference), reference
    expect(page.locator(".confirmation")).to_contain_text("139****0311")
    shot(page, "confirmation")
    rows = live_site.query(
        "SELECT c.state, count(p.id) FROM feedback_complaint c "
        "LEFT JOIN feedback_complaintphoto p ON p.complaint_id = c.id WHERE c.reference = ? GROUP BY c.id",
        (reference,),
    )
    assert rows == [("submitted", 1)]

    track_report(page, live_site, reference=reference, phone=mobile)
    expect(page.locator(".card").first).to_contain_text("待受理")
    expect(page.locator(".timeline")).to_contain_text("居民提交反映")
    expect(page.locator("body")).not_to_contain_text(mobile)
    shot(page, "tracking")


def test_report_form_can_be_filled_and_sent_with_the_keyboard_alone(chromium, live_site, shot):
    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **DESKTOP)
    page = context.new_page()
    keys = page.keyboard
    page.goto("/feedback/report/")
    shown_at = time.monotonic()

    def tab_to(element_id: str = "", limit: int = 40, text: str = ""):
        for _ in range(limit):
            keys.press("Tab")
            if (element_id and _focused_id(page) == element_id) or (
                text and page.evaluate("document.activeElement.textContent.trim()") == text
            ):
                assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
                return
        raise AssertionError(f"#{element_id}{text} is not reachable with Tab")

    tab_to("id_kind_0")
    keys.press("ArrowRight")  # radio group: 求助 → 咨询
    assert page.evaluate("document.activeElement.checked") and _focused_id(page) == "id_kind_1"
    tab_to("id_category")
    keys.press("ArrowDown")
    tab_to("id_community")
    keys.press("ArrowDown")
    tab_to("id_description")
    keys.type("声控灯不亮。")
    tab_to("id_phone")
    keys.type("13987650322")
    tab_to("id_consent")
    keys.press("Space")
    tab_to("id_captcha_1")
    keys.type(live_site.captcha_answer(page.locator("input[name='captcha_0']").input_value()))
    wait_fill_time(page, shown_at)
    keys.press("Enter")  # submits the form from the text box

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert _focused_id(page) == "error-summary"
    expect(summary).to_contain_text("问题描述至少 10 个字")
    shot(page, "keyboard-errors")

    # Tab into the summary, follow its link to the field, correct it and send again.
    keys.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_description"
    keys.press("Enter")
    expect(page.get_by_label("问题描述")).to_be_focused()
    keys.press("End")
    keys.type("已经坏了三天，晚上上下楼看不见台阶。")
    tab_to("id_captcha_1", limit=60)
    keys.type(live_site.captcha_answer(page.locator("input[name='captcha_0']").input_value()))
    tab_to(text="提交反映", limit=5)  # past 换一张 and the hotline link
    expect(page.get_by_role("button", name="提交反映")).to_be_focused()
    keys.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("反映已提交")
    shot(page, "keyboard-confirmation")
    context.close()
