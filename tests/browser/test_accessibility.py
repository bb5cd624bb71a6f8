"""Accessibility: axe-core finds no WCAG 2.2 AA violations on the residents' pages, in the
normal and the elder (关怀) mode, including forms with errors and confirmations; focus is
visible; the captcha has a text alternative, a refresh button and the hotline."""

import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, solve_captcha, wait_fill_time
from tests.browser.steps import fill_report, open_report_form

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = [
    "/",
    "/notices/",
    "/notices/hongse-yizhan-kaifang/",
    "/services/dibao/",
    "/stations/",
    "/stations/fuxing-shangquan/",
    "/feedback/report/",
    "/feedback/track/",
    "/feedback/evaluate/",
    "/feedback/evaluate/?station=",
    "/search/?q=驿站",
]
MODES = ["normal", "care"]
axe = Axe()


def violations(page, context: str | None = None) -> list[str]:
    """One readable line per failing element: rule, impact, selector, what to fix
    (``context``: a CSS selector to check only that part of the page)."""
    result = axe.run(page, context=context, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    lines = []
    for violation in result.response["violations"]:
        for node in violation["nodes"]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"{violation['id']} ({violation['impact']}) {node['target']}: {summary[:200]}")
    # axe 4.7+ no longer tags duplicate ids as WCAG; a label or aria-describedby pointing at
    # a duplicated id still reaches the wrong element, so check them here.
    duplicates = page.evaluate(
        "(() => { const seen = {}; for (const e of document.querySelectorAll('[id]'))"
        " seen[e.id] = (seen[e.id] || 0) + 1;"
        " return Object.keys(seen).filter(id => seen[id] > 1); })()"
    )
    lines.extend(f"duplicate id #{id_}" for id_ in duplicates)
    return lines


@pytest.fixture(scope="module", params=MODES)
def mode_page(request, chromium, live_site):
    # bypass_csp lets axe inject its script despite the site's strict CSP.
    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", bypass_csp=True, **PHONE)
    if request.param == "care":
        context.add_cookies([{"name": "care", "value": "1", "url": live_site.url}])
    page = context.new_page()
    page.mode = request.param
    yield page
    context.close()


def _is_care(page) -> bool:
    return page.evaluate("document.documentElement.classList.contains('care')")


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_wcag_violations(mode_page, live_site, path):
    if path.endswith("station="):
        path += str(live_site.query("SELECT page_ptr_id FROM servicecatalog_stationpage LIMIT 1")[0][0])
    response = mode_page.goto(path)
    assert response.ok, path
    assert _is_care(mode_page) == (mode_page.mode == "care")
    assert violations(mode_page) == []


def test_report_form_errors_confirmation_and_tracking_have_no_wcag_violations(mode_page, live_site, shot):
    page = mode_page
    phone = "1398765035" + str(MODES.index(page.mode))
    shown_at = open_report_form(page)
    fill_report(page, phone="12345", description="太短")
    solve_captcha(page, live_site)
    wait_fill_time(page, shown_at)
    page.get_by_role("button", name="提交反映").click()
    expect(page.locator("#error-summary")).to_be_focused()
    shot(page, f"{page.mode}-errors")
    assert violations(page) == []

    page.get_by_label("问题描述").fill("单元门的门禁坏了，外来人员随意进出，请物业尽快修理。")
    page.get_by_label("手机号").fill(phone)
    solve_captcha(page, live_site)
    page.get_by_role("button", name="提交反映").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("反映已提交")
    shot(page, f"{page.mode}-confirmation")
    assert violations(page) == []

    page.get_by_role("link", name="查看办理进度").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("办理进度")
    assert violations(page) == []


def test_evaluation_form_with_errors_has_no_wcag_violations(mode_page):
    page = mode_page
    page.goto("/feedback/evaluate/")
    shown_at = time.monotonic()
    wait_fill_time(page, shown_at)
    page.get_by_role("button", name="提交评议").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert violations(page) == []


def test_captcha_has_text_alternative_refresh_and_hotline(phone, live_site):
    page = phone
    page.goto("/feedback/report/")
    image = page.locator("img.captcha")
    assert re.fullmatch(r"验证码图片：\d位数字", image.get_attribute("alt"))
    help_box = page.locator(".captcha-help")
    expect(help_box.get_by_role("link", name="12345")).to_have_attribute("href", "tel:12345")
    old_key = page.locator("input[name='captcha_0']").input_value()
    page.get_by_role("button", name="看不清，换一张").tap()
    expect(page.locator("input[name='captcha_0']")).not_to_have_value(old_key)
    expect(image).to_have_attribute("src", re.compile(page.locator("input[name='captcha_0']").input_value()))
    expect(page.get_by_label("验证码")).to_be_focused()
    # The new picture is a real, answerable captcha.
    assert live_site.captcha_answer(page.locator("input[name='captcha_0']").input_value()).isdigit()


@pytest.mark.parametrize("path", ["/", "/stations/", "/feedback/report/"])
def test_focus_is_visible_on_links_and_controls(desktop, path):
    page = desktop
    page.goto(path)
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return {tag: e.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),"
            " shadow: s.boxShadow}; })()"
        )
        visible = (focused["outline"] != "none" and focused["width"] > 0) or focused["shadow"] != "none"
        assert visible, f"{path}: focused {focused['tag']} has no visible focus indicator"
