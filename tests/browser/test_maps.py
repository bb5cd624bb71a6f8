"""Maps on a 390×844 phone: the station finder's map view shows the stations in view, and
the report form's pin fills the place's coordinates and shows where it is."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE


def test_station_finder_map_view_shows_markers(chromium, live_site, shot):
    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto("/stations/")
    answers = []
    page.on("response", lambda r: answers.append(r) if "/stations/map/" in r.url else None)
    page.get_by_role("button", name="在地图上查看").tap()
    expect(page.locator("[data-station-map-status]")).to_contain_text(re.compile(r"图中有 \d+ 个站点"))
    markers = page.locator(".station-map-canvas path.leaflet-interactive")
    assert markers.count() >= 3
    assert answers and "bbox=" in answers[-1].url and answers[-1].status == 200
    markers.first.tap()  # a popup with the station's link
    expect(page.locator(".leaflet-popup-content a")).to_have_attribute(
        "href", re.compile(r"^/stations/[^/]+/$")
    )
    shot(page, "map-view")
    # The list below stays as it was.
    assert page.locator(".station-card").count() >= 3
    context.close()


def test_report_form_pin_sets_the_place_coordinates(chromium, live_site, shot):
    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto("/feedback/report/")
    assert page.locator("#id_latitude").input_value() == ""
    page.get_by_role("button", name="在地图上标出位置").tap()
    canvas = page.locator(".place-picker .leaflet-container")
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3)
    lat = float(page.locator("#id_latitude").input_value())
    lng = float(page.locator("#id_longitude").input_value())
    assert 24.9 < lat < 25.2 and 102.6 < lng < 102.9  # near the demo street, north-east of its centre
    assert lat > 25.0405 and lng > 102.7129
    expect(page.locator(".place-picker path.leaflet-interactive")).to_have_count(1)
    expect(page.locator("[data-place-picker-status]")).to_contain_text("已在地图上标出位置")
    shot(page, "report-pin")
    page.get_by_role("button", name="清除地图上的标记").tap()
    assert page.locator("#id_latitude").input_value() == ""
    expect(page.locator(".place-picker path.leaflet-interactive")).to_have_count(0)
    context.close()
