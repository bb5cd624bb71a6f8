"""Journey 7: elder mode (关怀模式) in a real browser at 360 px."""

from tests.browser.conftest import PHONE


# Against the layout viewport (clientWidth): a phone browser zooms out to fit content wider
# than the screen, and then window.innerWidth grows with it.
def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def _tables_fit(page) -> bool:
    """Every table is read whole on the phone, not scrolled inside its box."""
    return page.evaluate(
        "[...document.querySelectorAll('main table')].every("
        "t => t.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)"
    )


def test_elder_mode_persists_and_enlarges_text_without_horizontal_scroll(chromium, live_site, shot):
    context = chromium.new_context(
        base_url=live_site.url, locale="zh-CN", **{**PHONE, "viewport": {"width": 360, "height": 780}}
    )
    page = context.new_page()
    page.goto("/")
    normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert _no_horizontal_scroll(page)
    shot(page, "normal")

    page.get_by_role("link", name="关怀模式").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.classList.contains('care')")
    care_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert care_size >= normal_size * 1.2
    assert _no_horizontal_scroll(page)
    shot(page, "care-home")

    for path in ["/services/", "/stations/", "/notices/", "/feedback/report/", "/feedback/ranking/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.classList.contains('care')"), path
        assert _no_horizontal_scroll(page) and _tables_fit(page), path
        shot(page, "care" + path.replace("/", "-").rstrip("-"))

    page.get_by_role("link", name="退出关怀模式").click()
    page.wait_for_load_state()
    assert not page.evaluate("document.documentElement.classList.contains('care')")
    context.close()
