"""Coordinates: distances, map links and the one datum conversion.

Coordinates in this project are stored in one system, WGS-84 decimal degrees (what a
phone's GPS and browser geolocation report, what ``geo:`` URIs use, and within a metre
what 天地图's CGCS2000 uses, so 天地图 and OpenStreetMap tiles need no conversion).

Chinese commercial maps (Amap/高德, Tencent) draw on GCJ-02, the state-mandated
obfuscated datum, 300–600 m off WGS-84 in our cities. Whatever is handed to such a
provider goes through :func:`wgs84_to_gcj02`, the published algorithm (the constants of
the "eviltransform" reference implementations, whose test vectors tests/servicecatalog
checks). It is a dozen lines of arithmetic; the Python packages that wrap it are
unmaintained, so it lives here rather than as a dependency.
"""

from __future__ import annotations

import math
from urllib.parse import quote, urlencode

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)

# GCJ-02 is defined on the Krasovsky 1940 ellipsoid.
_KRASOVSKY_A = 6_378_245.0
_KRASOVSKY_EE = 0.00669342162296594323


def haversine_m(*, lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def distance_label(metres: float) -> str:
    """ "350 米" under a kilometre (rounded to 10 m), else "1.2 公里"."""
    if metres < 1000:
        return f"{max(10, round(metres / 10) * 10):d} 米"
    if metres < 100_000:
        return f"{metres / 1000:.1f} 公里"
    return f"{metres / 1000:.0f} 公里"


def parse_position(lat: str | None, lng: str | None) -> tuple[float, float] | None:
    """A (lat, lng) pair from query-string text, or None when missing or not a real place."""
    try:
        lat_f, lng_f = float(lat), float(lng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat_f) and math.isfinite(lng_f)):
        return None
    if not (-90 <= lat_f <= 90 and -180 <= lng_f <= 180):
        return None
    return lat_f, lng_f


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``"west,south,east,north"`` (Leaflet's ``toBBoxString()`` order) as floats, or None
    when it is not four finite numbers of a box (west < east, south < north).

    Longitudes are taken as a map sends them: zoomed out or panned across world copies,
    Leaflet gives ``-253.1,…,253.1`` or ``462.7,…``. A box wider than the world is the
    world; any other is brought back to -180..180, and one across the 180° line comes back
    with west > east (``in_bbox`` reads it so). Latitudes past the poles are cut there.
    """
    try:
        west, south, east, north = (float(part) for part in (text or "").split(","))
    except ValueError:
        return None
    values = (west, south, east, north)
    if not all(math.isfinite(v) and abs(v) <= _BBOX_LIMIT for v in values):
        return None
    if not (west < east and south < north):
        return None
    south, north = max(south, -90.0), min(north, 90.0)
    if south >= north:  # wholly beyond a pole
        return None
    if east - west >= 360:
        return -180.0, south, 180.0, north
    turns = math.floor((west + 180) / 360)
    west, east = west - 360 * turns, east - 360 * turns
    if east > 180:
        east -= 360
    return west, south, east, north


_BBOX_LIMIT = 100_000.0  # degrees: far more world copies than a map can show


def in_bbox(bbox: tuple[float, float, float, float], *, lat: float, lng: float) -> bool:
    """Whether a point lies in a box from ``parse_bbox`` (west > east: across 180°)."""
    west, south, east, north = bbox
    if not south <= lat <= north:
        return False
    return west <= lng <= east if west <= east else (lng >= west or lng <= east)


def out_of_china(*, lat: float, lng: float) -> bool:
    """Outside the rough box where GCJ-02 applies (the reference implementations' box)."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _gcj_offset(x: float, y: float) -> tuple[float, float]:
    """The offset (dlat, dlng) in metres-like units for x = lng - 105, y = lat - 35."""
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    wave = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += wave + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlng += wave + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return dlat, dlng


def wgs84_to_gcj02(*, lat: float, lng: float) -> tuple[float, float]:
    """A WGS-84 point as GCJ-02 (lat, lng) for Amap and other Chinese commercial maps.
    Points outside China are returned unchanged, as those maps do not offset them."""
    if out_of_china(lat=lat, lng=lng):
        return lat, lng
    dlat, dlng = _gcj_offset(lng - 105.0, lat - 35.0)
    rad = math.radians(lat)
    magic = 1 - _KRASOVSKY_EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_KRASOVSKY_A * (1 - _KRASOVSKY_EE)) / (magic * sqrt_magic) * math.pi)
    dlng = (dlng * 180.0) / (_KRASOVSKY_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + dlat, lng + dlng


def geo_uri(*, lat: float, lng: float, name: str) -> str:
    """RFC 5870 link that opens the phone's own map app (WGS-84, as the RFC says)."""
    return f"geo:{lat},{lng}?q={lat},{lng}({quote(name)})"


def amap_marker_url(*, lat: float, lng: float, name: str) -> str:
    """Amap's web marker (opens the app on a phone), in Amap's own GCJ-02 coordinates."""
    gcj_lat, gcj_lng = wgs84_to_gcj02(lat=float(lat), lng=float(lng))
    query = urlencode(
        {
            "position": f"{gcj_lng:.6f},{gcj_lat:.6f}",
            "name": name,
            "coordinate": "gaode",
            "callnative": "1",
            "src": "tongxin-portal",
        }
    )
    return f"https://uri.amap.com/marker?{query}"
