"""The station finder: which stations match a resident's filters, open now or not, and
how far away, in Python over the stations the index page read (they depend on the moment
and the resident's position, not on the database).

It works on the station pages it is given and imports no model, so the page models can
use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import QueryDict

from .forms import StationFilterForm
from .geo import distance_label, haversine_m, parse_position
from .hours import OpenState

POSITION_NOTE = (
    "没能识别您提供的位置，已改为按社区排列。您可以点“按离我最近排序”重新定位，或检查网址中的经纬度。"
)


@dataclass(frozen=True)
class StationRow:
    station: object  # a StationPage
    state: OpenState
    distance_m: float | None = None

    @property
    def distance_label(self) -> str:
        return "" if self.distance_m is None else distance_label(self.distance_m)


def stations_near(
    *,
    stations: list,
    now: datetime,
    amenities: list[str] | tuple[str, ...] = (),
    station_type: str = "",
    community_slug: str = "",
    open_only: bool = False,
    position: tuple[float, float] | None = None,
) -> list[StationRow]:
    """Stations that match every filter, nearest first when a position is given.

    Without a position, stations open now come first, then by community and name.
    Stations without coordinates go last in a distance sort.
    """
    wanted = set(amenities)
    rows = []
    for station in stations:
        if station_type and station.station_type != station_type:
            continue
        if community_slug and station.community.slug != community_slug:
            continue
        if not wanted <= set(station.amenities or []):
            continue
        state = station.open_state(now=now)
        if open_only and not state.is_open:
            continue
        distance = None
        if position and station.has_position:
            distance = haversine_m(
                lat1=position[0],
                lng1=position[1],
                lat2=float(station.latitude),
                lng2=float(station.longitude),
            )
        rows.append(StationRow(station, state, distance))
    if position:
        rows.sort(key=lambda r: (r.distance_m is None, r.distance_m or 0.0, r.station.title))
    else:
        rows.sort(key=lambda r: (not r.state.is_open, r.station.community.name, r.station.title))
    return rows


def station_finder(*, stations: list, communities, params: QueryDict, now: datetime) -> dict:
    """The finder's context: the filter form, the matching rows and what the page says
    about them. ``communities`` are (slug, name) pairs for the community filter."""
    form = StationFilterForm(params, communities=communities)
    form.is_valid()  # invalid fields drop out of cleaned_data and are ignored
    data = form.cleaned_data
    position = None
    position_note = ""
    if params.get("lat") or params.get("lng"):
        position = parse_position(params.get("lat"), params.get("lng"))
        if position is None:
            position_note = POSITION_NOTE
    rows = stations_near(
        stations=stations,
        now=now,
        amenities=data.get("amenity") or [],
        station_type=data.get("type") or "",
        community_slug=data.get("community") or "",
        open_only=bool(data.get("open")),
        position=position,
    )
    return {
        "filter_form": form,
        "rows": rows,
        "open_count": sum(1 for r in rows if r.state.is_open),
        "position": position,
        "position_note": position_note,
        "filtered": any(params.get(key) for key in ("amenity", "type", "community", "open")),
    }
