"""The station finder and a station's page, as an outdoor worker uses them."""

import re
from datetime import datetime, time
from decimal import Decimal
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest

from home.models import Community
from servicecatalog.finder import stations_near
from servicecatalog.geo import wgs84_to_gcj02
from servicecatalog.vocab import StationStatus, StationType
from tests.factories.home import CommunityFactory
from tests.factories.servicecatalog import StationOpeningHoursFactory, StationPageFactory
from tests.servicecatalog.conftest import count_queries
from tests.servicecatalog.test_geo import reference_distance_m

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
TUESDAY_1AM = datetime(2026, 11, 24, 1, 0, tzinfo=SH)
WORKER = (25.0405, 102.7085)


def station(index, *, hours=(), **kwargs):
    page = StationPageFactory(parent=index, **kwargs)
    for weekday, opens, closes in hours:
        StationOpeningHoursFactory(station=page, weekday=weekday, opens=opens, closes=closes)
    return page


def titles_in_order(html: str) -> list[str]:
    return re.findall(r'<a class="item-title" href="[^"]+">([^<]+)</a>', html)


def test_worker_sees_stations_sorted_by_distance_with_labels(client, station_index):
    coords = {"远站": (25.0600, 102.7300), "近站": (25.0410, 102.7090), "中站": (25.0450, 102.7150)}
    for name, (lat, lng) in coords.items():
        station(
            station_index,
            title=name,
            latitude=Decimal(str(lat)),
            longitude=Decimal(str(lng)),
            always_open=True,
        )
    station(station_index, title="无坐标站", always_open=True)

    html = client.get(f"/stations/?lat={WORKER[0]}&lng={WORKER[1]}").content.decode()

    expected = sorted(coords, key=lambda n: reference_distance_m(*WORKER, *coords[n]))
    assert titles_in_order(html) == [*expected, "无坐标站"]
    near = reference_distance_m(*WORKER, *coords["近站"])
    assert f"距您 {round(near / 10) * 10} 米" in html
    assert "距您 3.1 公里" in html  # 远站, by the reference formula 3.06 km
    assert "按离您的距离由近到远排列" in html


def test_bad_coordinates_get_a_polite_note_not_an_error(client, station_index):
    station(station_index, title="复兴驿站", always_open=True)
    for query in ["lat=abc&lng=102.7", "lat=95&lng=102.7", "lat=25.04", "lat=1e999&lng=nan"]:
        response = client.get(f"/stations/?{query}")
        html = response.content.decode()
        assert response.status_code == 200
        assert "没能识别您提供的位置" in html
        assert "复兴驿站" in html
        assert "距您" not in html


def test_a_long_but_real_position_is_used_and_the_field_not_marked_wrong(client, station_index):
    station(
        station_index,
        title="复兴驿站",
        always_open=True,
        latitude=Decimal("25.0406"),
        longitude=Decimal("102.7129"),
    )
    html = client.get("/stations/?lat=25.04060000000000000000000000001&lng=102.7129").content.decode()
    assert "距您" in html and "没能识别您提供的位置" not in html
    assert "aria-invalid" not in html  # no field is marked wrong without a message beside it
    assert 'name="lat" value="25.04060000000000000000000000001" maxlength="30" inputmode="decimal"' in html


def test_filters_combine_amenity_type_community_and_open_now(station_index):
    kunlun = CommunityFactory(slug="kunlun", name="昆仑社区")
    other = CommunityFactory(slug="fuxing", name="复兴社区")
    night = [(0, time(20), time(2))]  # Monday 20:00–02:00
    common = {"station_type": StationType.ENERGY_STATION, "community": kunlun}
    station(
        station_index, title="全部符合", amenities=["water", "charging", "microwave"], hours=night, **common
    )
    station(station_index, title="缺微波炉", amenities=["water", "charging"], hours=night, **common)
    station(station_index, title="类型不同", amenities=["water", "charging", "microwave"], hours=night,
            station_type=StationType.RED_STATION, community=kunlun)  # fmt: skip
    station(station_index, title="社区不同", amenities=["water", "charging", "microwave"], hours=night,
            station_type=StationType.ENERGY_STATION, community=other)  # fmt: skip
    station(station_index, title="此时关门", amenities=["water", "charging", "microwave"],
            hours=[(1, time(9), time(17))], **common)  # fmt: skip
    station(station_index, title="暂停服务", amenities=["water", "charging", "microwave"], always_open=True,
            status=StationStatus.SUSPENDED, **common)  # fmt: skip

    rows = stations_near(
        stations=station_index.station_points(),
        now=TUESDAY_1AM,
        amenities=["charging", "microwave"],
        station_type=StationType.ENERGY_STATION,
        community_slug="kunlun",
        open_only=True,
    )
    assert [r.station.title for r in rows] == ["全部符合"]
    assert rows[0].state.until == "02:00"

    without_open_filter = stations_near(
        stations=station_index.station_points(),
        now=TUESDAY_1AM,
        amenities=["charging", "microwave"],
        station_type=StationType.ENERGY_STATION,
        community_slug="kunlun",
    )
    # Open ones first, then closed and suspended ones.
    assert [r.station.title for r in without_open_filter] == ["全部符合", "暂停服务", "此时关门"]


def test_open_now_filter_on_the_page_uses_shanghai_time(client, station_index, monkeypatch):
    station(station_index, title="夜间蓄能站", hours=[(0, time(20), time(2))], amenities=["charging"])
    station(station_index, title="白天驿站", hours=[(1, time(9), time(17))], amenities=["charging"])
    monkeypatch.setattr("django.utils.timezone.now", lambda: TUESDAY_1AM.astimezone(ZoneInfo("UTC")))

    html = client.get("/stations/?open=on&amenity=charging").content.decode()
    assert titles_in_order(html) == ["夜间蓄能站"]
    assert "正在开放 · 至 02:00" in html
    assert "其中 <strong>1</strong> 个现在开放" in html

    html = client.get("/stations/").content.decode()
    assert "现在关闭" in html and "白天驿站" in html


def test_unknown_filter_values_are_ignored(client, station_index):
    station(station_index, title="复兴驿站", always_open=True)
    response = client.get("/stations/?amenity=jacuzzi&type=castle&community=atlantis&open=maybe")
    assert response.status_code == 200
    assert "复兴驿站" in response.content.decode()


def test_station_page_offers_call_navigation_and_report_links(client, station_index):
    community = CommunityFactory(slug="chunyu", name="春雨社区")
    page = station(
        station_index,
        title="春雨户外劳动者之家",
        community=community,
        phone="0871-6415 2001",
        latitude=Decimal("25.046000"),
        longitude=Decimal("102.713000"),
        amenities=["water", "microwave"],
        hours=[(d, time(7), time(21)) for d in range(7)],
        served_people="环卫工人、快递员",
    )
    html = client.get(page.url).content.decode()
    assert 'href="tel:0871-64152001"' in html
    assert 'href="geo:25.046000,102.713000?q=25.046000,102.713000(' in html
    amap = re.search(r'href="(https://uri\.amap\.com/marker\?[^"]+)"', html).group(1).replace("&amp;", "&")
    query = parse_qs(urlparse(amap).query)
    # Amap takes its own GCJ-02 datum: the stored WGS-84 point, converted (about 500 m off here).
    gcj_lat, gcj_lng = wgs84_to_gcj02(lat=25.046, lng=102.713)
    assert query["position"] == [f"{gcj_lng:.6f},{gcj_lat:.6f}"] and query["coordinate"] == ["gaode"]
    assert 300 < reference_distance_m(25.046, 102.713, gcj_lat, gcj_lng) < 700
    assert query["name"] == ["春雨户外劳动者之家"]
    report = re.search(r'href="(/feedback/report/\?[^"]+)"', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlparse(report).query) == {"community": ["chunyu"], "place": ["春雨户外劳动者之家"]}
    for text in ["饮水", "热饭", "07:00–21:00", "环卫工人、快递员", "春雨社区"]:
        assert text in html
    assert 'href="#am-microwave"' in html and 'id="am-microwave"' in html


def test_suspended_station_says_so_and_points_elsewhere(client, station_index):
    page = station(station_index, title="老旧小区驿站", always_open=True, status=StationStatus.SUSPENDED,
                   status_note="施工暂停至12月底")  # fmt: skip
    html = client.get(page.url).content.decode()
    assert "暂停服务" in html and "施工暂停至12月底" in html
    assert "正在开放" not in html


def test_station_list_works_without_javascript(client, station_index):
    station(station_index, title="复兴驿站", always_open=True)
    html = client.get("/stations/").content.decode()
    # A plain GET form with visible fields; the locate button only appears with the script.
    assert 'method="get"' in html and 'name="lat"' in html and 'name="amenity"' in html
    assert '<button class="button locate-button" type="button" hidden>' in html
    assert "<script>" not in html and "onclick" not in html


def _build_stations(index, n: int):
    communities = list(Community.objects.all()[:3])
    for i in range(n):
        station(
            index,
            community=communities[i % len(communities)],
            latitude=Decimal("25.04") + Decimal(i) / 1000,
            longitude=Decimal("102.71"),
            hours=[(d, time(8), time(18)) for d in range(2)],
        )


def test_station_list_query_count_does_not_grow(client, station_index):
    _build_stations(station_index, 4)
    url = "/stations/?lat=25.04&lng=102.71&amenity=water&open=on"
    few = count_queries(client, url)
    _build_stations(station_index, 8)
    many = count_queries(client, url)
    assert few == many == EXPECTED_STATION_LIST_QUERIES


EXPECTED_STATION_LIST_QUERIES = 1  # the site, root page and restrictions are kept per generation
