"""Journey 2: a delivery worker finds the nearest open station with charging."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

KUNMING = {"latitude": 25.04, "longitude": 102.71}


def _located_context(chromium, live_site, device):
    return chromium.new_context(
        base_url=live_site.url,
        locale="zh-CN",
        geolocation=KUNMING,
        permissions=["geolocation"],
        **device,
    )


def _assert_first_result_is_usable(page):
    expect(page.locator(".result-count")).to_contain_text("按离您的距离由近到远排列")
    first = page.locator(".station-card").first
    expect(first.locator(".distance")).to_have_text(re.compile(r"距您 \d+(\.\d+)? (米|公里)"))
    expect(first.locator(".badge-open")).to_contain_text("正在开放")
    expect(first.get_by_role("listitem").filter(has_text="充电")).to_have_count(1)
    assert first.get_by_role("link", name="打电话").get_attribute("href").startswith("tel:")
    assert first.get_by_role("link", name="导航").get_attribute("href").startswith("geo:25.")
    assert (
        first.get_by_role("link", name="高德地图").get_attribute("href").startswith("https://uri.amap.com/")
    )
    distances = page.locator(".station-card .distance").all_inner_texts()
    metres = [float(d.split()[1]) * (1000 if "公里" in d else 1) for d in distances]
    assert metres == sorted(metres)


def test_delivery_worker_finds_nearest_open_station_with_charging(chromium, live_site, shot):
    context = _located_context(chromium, live_site, PHONE)
    page = context.new_page()
    page.goto("/stations/")
    shot(page, "stations")

    page.get_by_role("button", name="按离我最近排序").tap()
    page.wait_for_url(re.compile(r"lat=25\.04"))
    expect(page.locator(".result-count")).to_contain_text("按离您的距离")
    shot(page, "located")

    page.locator("summary", has_text="筛选").tap()
    page.get_by_role("checkbox", name="充电").tap()
    page.get_by_label("只看现在开放的").check()
    page.get_by_role("button", name="查看结果").tap()
    page.wait_for_url(re.compile(r"amenity=charging"))
    assert "open=on" in page.url and "lng=102.71" in page.url
    _assert_first_result_is_usable(page)
    shot(page, "charging-open-nearest")
    context.close()


def test_station_filter_form_works_with_the_keyboard_alone(chromium, live_site, shot):
    context = _located_context(chromium, live_site, DESKTOP)
    page = context.new_page()
    page.goto("/stations/")
    keys = page.keyboard

    # Tab from the top of the page to the locate button, as a keyboard user would.
    for _ in range(30):
        keys.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "按离我最近排序":
            break
    else:
        raise AssertionError("the locate button is not reachable with Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    keys.press("Enter")
    page.wait_for_url(re.compile(r"lat=25\.04"))

    page.locator("summary", has_text="筛选").focus()
    keys.press("Enter")  # opens the <details>
    keys.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_open"
    keys.press("Space")
    keys.press("Tab")  # 休息
    keys.press("Tab")  # 饮水
    keys.press("Tab")  # 充电
    assert page.evaluate("document.activeElement.value") == "charging"
    keys.press("Space")
    shot(page, "keyboard-filters")
    page.get_by_role("button", name="查看结果").focus()
    keys.press("Enter")
    page.wait_for_url(re.compile(r"amenity=charging"))
    assert "open=on" in page.url
    _assert_first_result_is_usable(page)

    first_link = page.locator(".station-card a.item-title").first
    first_link.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    shot(page, "keyboard-results")
    context.close()
