"""On a phone: a resident adds photos with the large 拍照/选照片 button, sees them, removes one
and sends the report with the others; a guesser is stopped on a form that keeps what was typed."""

import re
import time

from playwright.sync_api import expect

from tests.browser.conftest import small_jpeg, solve_captcha, wait_fill_time
from tests.browser.steps import fill_report, open_report_form


def _pick(page, *paths):
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="拍照/选照片").tap()
    assert chooser.value.is_multiple()
    chooser.value.set_files(list(paths))


def test_resident_picks_previews_removes_and_sends_photos(phone, live_site, shot, tmp_path):
    page = phone
    first, second, third = (small_jpeg(tmp_path, f"photo{i}.jpg") for i in range(3))
    text = tmp_path / "notes.txt"
    text.write_text("不是照片")
    shown_at = open_report_form(page)
    fill_report(page, phone="13987650377")
    field = page.locator("[data-photo-field]")
    native = page.locator("input[type=file][name=photos]")
    assert native.get_attribute("accept") == "image/*"  # the phone offers camera or gallery
    assert native.bounding_box()["width"] <= 1  # out of sight: the large button stands in for it
    expect(field.locator("[data-photo-count]")).to_have_text("未选照片，最多 3 张。")

    _pick(page, first)
    previews = field.locator(".photo-preview img")
    expect(previews).to_have_count(1)
    assert page.evaluate("document.querySelector('.photo-preview img').naturalWidth") == 320  # it shows
    expect(field.locator("[data-photo-count]")).to_contain_text("已选 1 张，最多 3 张，还可以再选 2 张")

    # Removed before sending, then two others added one pick at a time, and a file that is no photo.
    field.get_by_role("button", name="删除第 1 张照片").tap()
    expect(previews).to_have_count(0)
    _pick(page, second)
    _pick(page, third, text)
    expect(previews).to_have_count(2)
    expect(field.locator("[data-photo-error]")).to_contain_text("“notes.txt”不是 JPG、PNG 或 WebP 格式的照片")
    assert page.evaluate("document.querySelector('input[name=photos]').files.length") == 2
    field.scroll_into_view_if_needed()
    shot(page, "two-photos-chosen")

    # A fourth pick past the limit of 3 is refused next to the field.
    _pick(page, first, second)
    expect(previews).to_have_count(3)
    expect(field.locator("[data-photo-error]")).to_contain_text("最多上传 3 张照片")
    expect(page.get_by_role("button", name="拍照/选照片")).to_be_disabled()
    field.get_by_role("button", name="删除第 3 张照片").tap()
    expect(previews).to_have_count(2)

    solve_captcha(page, live_site)
    wait_fill_time(page, shown_at)
    page.get_by_role("button", name="提交反映").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("反映已提交")
    reference = page.locator(".confirmation .reference").inner_text().strip()
    assert re.fullmatch(r"\d{8}-[0-9A-Z]{4}", reference), reference
    rows = live_site.query(
        "SELECT count(p.id) FROM feedback_complaint c "
        "JOIN feedback_complaintphoto p ON p.complaint_id = c.id WHERE c.reference = ?",
        (reference,),
    )
    assert rows == [(2,)]


def test_a_guesser_is_stopped_with_the_form_kept_and_a_time_to_retry(phone, live_site, shot):
    """Ten wrong last-four digits lock this phone's browser (not its neighbours behind the
    same address, tests/security/test_shared_networks.py); the form comes back as typed."""
    page = phone
    page.goto("/feedback/track/")
    shown_at = time.monotonic()
    page.get_by_label("反映编号").fill("20260101-GUES")
    for attempt in range(11):
        page.get_by_label("手机号后 4 位").fill(f"{attempt:04d}")
        solve_captcha(page, live_site)
        if attempt == 0:
            wait_fill_time(page, shown_at)
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state()
    notice = page.locator("#limit-notice")
    expect(notice).to_be_focused()
    expect(notice).to_contain_text("暂时不能查询")
    expect(notice).to_contain_text("您在这台设备上查询错误的次数过多")
    # The day is named too when the time is past midnight.
    expect(notice).to_contain_text(re.compile(r"请于 (\d+月\d+日 )?\d\d:\d\d"))
    expect(page.get_by_label("反映编号")).to_have_value("20260101-GUES")
    shot(page, "refused-form-kept")
