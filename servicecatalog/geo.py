"""Distances between coordinates.

Coordinates in this app are WGS-84 (GPS) decimal degrees: the datum that browser
geolocation reports and that ``geo:`` URIs use. Map links to Amap say
``coordinate=wgs84`` so the app converts them to its own GCJ-02 offset itself.
"""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


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
