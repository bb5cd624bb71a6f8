"""Distances: our haversine against an independent reference formula."""

import math

import pytest

from servicecatalog.geo import distance_label, haversine_m, parse_position


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
