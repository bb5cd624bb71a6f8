"""The finder as a city's resident uses it: nearest open first at night, a page of cards at
a time without JavaScript, and the compact JSON the map view reads."""

import json
import re
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.factories.servicecatalog import StationOpeningHoursFactory, StationPageFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
TUESDAY_11PM = datetime(2026, 11, 24, 23, 0, tzinfo=SH)
HERE = (25.0400, 102.7100)
DAYTIME = [(d, time(8), time(18)) for d in range(7)]


@pytest.fixture
def night(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: TUESDAY_11PM)


def place(index, title, north_m, *, hours=(), **kwargs):
    """A station ``north_m`` metres north of HERE."""
    page = StationPageFactory(
        parent=index,
        title=title,
        latitude=Decimal(f"{HERE[0] + north_m / 111_195:.6f}"),
        longitude=Decimal(f"{HERE[1]:.6f}"),
        **kwargs,
    )
    for weekday, opens, closes in hours:
        StationOpeningHoursFactory(station=page, weekday=weekday, opens=opens, closes=closes)
    return page


def titles(html: str) -> list[str]:
    return re.findall(r'<a class="item-title" href="[^"]+">([^<]+)</a>', html)


def test_at_night_nearest_open_stations_come_first_and_closed_ones_are_said_so(client, station_index, night):
    for i, north in enumerate([100, 200, 300, 400]):
        place(station_index, f"白天驿站{i + 1}", north, hours=DAYTIME)
    place(station_index, "夜间蓄能站", 1500, always_open=True)
    place(station_index, "远处通宵站", 9000, always_open=True)

    html = client.get(f"/stations/?lat={HERE[0]}&lng={HERE[1]}").content.decode()

    # Open within 3 km of the nearest first; then the closed near ones; then what is far.
    assert titles(html) == ["夜间蓄能站", "白天驿站1", "白天驿站2", "白天驿站3", "白天驿站4", "远处通宵站"]
    assert html.index("夜间蓄能站") < html.index("以下驿站现在未开放") < html.index("白天驿站1")
    assert html.index("白天驿站4") < html.index("以下站点离您较远") < html.index("远处通宵站")
    # The quick switch is on the page, not folded into the filters.
    assert re.search(r'<a class="chip chip-link" href="\?[^"]*open=on[^"]*">只看现在开放的</a>', html)


def test_open_first_band_is_a_setting(client, station_index, night, settings):
    settings.STATION_OPEN_FIRST_BAND_M = 500
    place(station_index, "白天驿站", 100, hours=DAYTIME)
    place(station_index, "夜间蓄能站", 1500, always_open=True)
    html = client.get(f"/stations/?lat={HERE[0]}&lng={HERE[1]}").content.decode()
    assert titles(html) == ["白天驿站", "夜间蓄能站"]  # 1.5 km is beyond the band: by distance


def test_only_open_now_link_keeps_the_position_and_drops_the_page(client, station_index, night):
    place(station_index, "白天驿站", 100, hours=DAYTIME)
    place(station_index, "夜间蓄能站", 1500, always_open=True)
    html = client.get(f"/stations/?lat={HERE[0]}&lng={HERE[1]}&page=1").content.decode()
    link = re.search(r'href="(\?[^"]*)">只看现在开放的', html).group(1).replace("&amp;", "&")
    assert "page=" not in link and "lat=25.04" in link
    html = client.get(f"/stations/{link}").content.decode()
    assert titles(html) == ["夜间蓄能站"] and "以下驿站现在未开放" not in html


def test_a_city_list_pages_through_links_without_javascript(client, station_index, settings, night):
    settings.STATION_PAGE_SIZE = 3
    for i in range(7):
        place(station_index, f"驿站{i:02d}", 100 * (i + 1), always_open=True)

    first = client.get(f"/stations/?lat={HERE[0]}&lng={HERE[1]}").content.decode()
    assert titles(first) == ["驿站00", "驿站01", "驿站02"]
    assert "共 7 个站点" in first and "第 1 / 3 页" in first
    assert (
        '<link rel="canonical" href="http://testserver/stations/">' in first
    )  # the host asked; never the position
    nxt = re.search(r'<a href="(\?[^"]+)" rel="next">下一页</a>', first).group(1).replace("&amp;", "&")
    assert "lat=25.04" in nxt and "page=2" in nxt

    second = client.get(f"/stations/{nxt}").content.decode()
    assert titles(second) == ["驿站03", "驿站04", "驿站05"]
    assert 'rel="prev"' in second and '<link rel="next"' in second
    assert '<link rel="canonical" href="http://testserver/stations/?page=2">' in second
    # Another name of the same server gets its own canonical, not the one kept for the first.
    other = client.get(f"/stations/{nxt}", HTTP_HOST="127.0.0.1").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1/stations/?page=2">' in other
    last = client.get(f"/stations/?lat={HERE[0]}&lng={HERE[1]}&page=99").content.decode()
    assert titles(last) == ["驿站06"]  # past the end: the last page, not an error


def test_map_json_lists_stations_in_the_box_with_open_flag(client, station_index, night):
    inside = place(station_index, "夜间蓄能站", 100, always_open=True, phone="13800138000")
    place(station_index, "白天驿站", 200, hours=DAYTIME)
    place(station_index, "框外驿站", 50_000, always_open=True)
    StationPageFactory(parent=station_index, title="无坐标驿站", always_open=True)

    response = client.get("/stations/map/?bbox=102.70,25.03,102.72,25.05")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    answer = json.loads(response.content)
    assert answer["count"] == 2 and answer["truncated"] is False
    first = answer["stations"][0]
    assert first == {
        "id": inside.pk,
        "name": "夜间蓄能站",
        "lat": pytest.approx(25.0409, abs=1e-4),
        "lng": 102.71,
        "open": True,
        "url": "/stations/" + inside.slug + "/",
    }
    assert answer["stations"][1]["name"] == "白天驿站" and answer["stations"][1]["open"] is False
    assert "13800138000" not in response.content.decode()  # compact: no phone, no address


def test_map_json_follows_the_list_filters_and_is_capped(client, station_index, settings, night):
    settings.STATION_MAP_LIMIT = 2
    for i in range(4):
        place(station_index, f"通宵站{i}", 100 * (i + 1), always_open=True, amenities=["charging"])
    place(station_index, "白天驿站", 50, hours=DAYTIME, amenities=["charging"])

    answer = client.get("/stations/map/?bbox=102.70,25.03,102.72,25.05&open=on&amenity=charging").json()
    assert answer["count"] == 4 and answer["truncated"] is True
    assert len(answer["stations"]) == 2 and all(s["open"] for s in answer["stations"])


def test_map_json_answers_a_zoomed_out_map(client, station_index, night):
    inside = place(station_index, "夜间蓄能站", 100, always_open=True)
    for bbox in ("-253.125,-79.17,253.125,79.17", "462.70,25.03,462.72,25.05"):
        response = client.get(f"/stations/map/?bbox={bbox}")
        assert response.status_code == 200, bbox
        assert [s["id"] for s in response.json()["stations"]] == [inside.pk], bbox


def test_map_json_without_a_box_says_what_it_needs(client, station_index):
    response = client.get("/stations/map/?bbox=nonsense")
    assert response.status_code == 400
    assert "bbox" in response.json()["error"]


def test_map_and_its_script_load_only_where_a_map_is_shown(client, station_index):
    page = place(station_index, "春雨驿站", 100, always_open=True)
    station_html = client.get(page.url).content.decode()
    assert 'data-place-map data-lat="25.040899" data-lng="102.710000"' in station_html
    assert "js/place-map.js" in station_html and "portal-map-config" in station_html
    # Leaflet itself is fetched by the loader when a map is first drawn, never up front.
    assert "leaflet.js" not in station_html.split('data-leaflet-js="')[0]
    home = client.get("/").content.decode()
    assert "map-loader.js" not in home and "leaflet" not in home
