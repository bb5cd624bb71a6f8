"""Distances: our haversine against an independent reference formula."""

import math

import pytest

from servicecatalog.geo import (
    amap_marker_url,
    distance_label,
    haversine_m,
    in_bbox,
    parse_bbox,
    parse_position,
    wgs84_to_gcj02,
)


def reference_distance_m(lat1, lng1, lat2, lng2):
    # Independent formulation (atan2 form of haversine), mean Earth radius 6371.0088 km.
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return r * 2 * math.atan2(math.sqrt(a), math.sqrt(1 - a))


@pytest.mark.parametrize(
    "pair",
    [
        (25.04, 102.71, 25.05, 102.72),
        (25.0405, 102.7085, 25.0230, 102.7160),
        (39.9042, 116.4074, 31.2304, 121.4737),  # Beijing to Shanghai
    ],
)
def test_haversine_matches_reference(pair):
    lat1, lng1, lat2, lng2 = pair
    ours = haversine_m(lat1=lat1, lng1=lng1, lat2=lat2, lng2=lng2)
    assert ours == pytest.approx(reference_distance_m(*pair), rel=1e-9)


def test_one_degree_of_latitude_is_about_111_km():
    assert haversine_m(lat1=25, lng1=102.71, lat2=26, lng2=102.71) == pytest.approx(111_195, abs=5)
    assert 1_060_000 < haversine_m(lat1=39.9042, lng1=116.4074, lat2=31.2304, lng2=121.4737) < 1_075_000


def test_distance_labels_in_metres_and_kilometres():
    assert distance_label(263) == "260 米"
    assert distance_label(4) == "10 米"
    assert distance_label(1540) == "1.5 公里"
    assert distance_label(250_000) == "250 公里"


@pytest.mark.parametrize(
    ("lat", "lng"),
    [("abc", "102.7"), ("25.0", ""), (None, None), ("91", "102"), ("25", "181"), ("nan", "1"), ("inf", "1")],
)
def test_bad_positions_are_rejected(lat, lng):
    assert parse_position(lat, lng) is None


def test_good_position_is_parsed():
    assert parse_position("25.0405", " 102.7085") == (25.0405, 102.7085)


# Published test vectors of the eviltransform reference implementations (WGS-84 → GCJ-02).
GCJ02_VECTORS = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
]


@pytest.mark.parametrize(("wgs", "gcj"), GCJ02_VECTORS)
def test_wgs84_to_gcj02_matches_published_values(wgs, gcj):
    assert wgs84_to_gcj02(lat=wgs[0], lng=wgs[1]) == pytest.approx(gcj, abs=1e-9)


def test_gcj02_leaves_points_outside_china_alone():
    assert wgs84_to_gcj02(lat=39.7392, lng=-104.9903) == (39.7392, -104.9903)  # Denver
    assert wgs84_to_gcj02(lat=-27.4698, lng=153.0251) == (-27.4698, 153.0251)  # Brisbane


def test_amap_link_carries_the_converted_point():
    url = amap_marker_url(lat=25.046, lng=102.713, name="春雨驿站")
    lat, lng = wgs84_to_gcj02(lat=25.046, lng=102.713)
    assert f"position={lng:.6f}%2C{lat:.6f}" in url and "coordinate=gaode" in url


@pytest.mark.parametrize(
    "text",
    ["", "1,2,3", "a,b,c,d", "102.8,25.0,102.7,25.1", "102.7,25.1,102.8,25.0", "nan,1,2,3", "inf,1,2,3"]
    + ["0,91,1,92", "1e308,1,2e308,2", "102.7,25.0,102.7,25.1"],
)
def test_bad_bboxes_are_rejected(text):
    assert parse_bbox(text) is None


def test_bbox_in_leaflet_order():
    assert parse_bbox("102.70,25.03,102.73,25.05") == (102.70, 25.03, 102.73, 25.05)


@pytest.mark.parametrize(
    ("text", "box"),
    [
        # Zoomed out past the whole world (Leaflet at zoom 1): the world, poles cut.
        ("-253.125,-95.2,253.125,95.2", (-180.0, -90.0, 180.0, 90.0)),
        # Panned one world copy east: the same place as 102.7.
        ("462.7,25.02,462.73,25.06", (102.7, 25.02, 102.73, 25.06)),
        ("-257.3,25.02,-257.27,25.06", (102.7, 25.02, 102.73, 25.06)),
        # Across the 180° line: west > east.
        ("170,-10,190,10", (170.0, -10.0, -170.0, 10.0)),
    ],
)
def test_bboxes_as_a_zoomed_out_or_panned_map_sends_them(text, box):
    assert parse_bbox(text) == pytest.approx(box)


def test_a_box_across_the_date_line_holds_both_sides():
    box = parse_bbox("170,-10,190,10")
    assert in_bbox(box, lat=0, lng=175) and in_bbox(box, lat=0, lng=-175)
    assert not in_bbox(box, lat=0, lng=0) and not in_bbox(box, lat=20, lng=175)
