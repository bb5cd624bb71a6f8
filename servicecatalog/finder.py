"""The station finder: which stations match a resident's filters, open now or not, how
far away, in what order, and which of them the page and the map show.

Rules:

- The finder works on compact :class:`StationPoint` rows (plain values, no model
  objects), read once per publish for every station (``StationIndexPage.station_points``);
  "open now" is computed here once per request for all of them.
- Without a position: open stations first, then the closed ones ("以下驿站现在未开放"),
  each by community and name.
- With a position ("nearest"): stations open now within ``STATION_OPEN_FIRST_BAND_M`` of the
  nearest station come first, nearest first; then the closed ones within that band; then
  every station further away, by distance; stations without coordinates last. A closed
  station next door must not hide an open one a few hundred metres on, but an open one
  across the city must not push a near one off the first page either.
- The list is shown a page (``STATION_PAGE_SIZE``) at a time; the map asks for the
  stations inside its box, at most ``STATION_MAP_LIMIT`` of them.

It imports no model, so the page models can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict

from .forms import StationFilterForm
from .geo import amap_marker_url, distance_label, geo_uri, haversine_m, in_bbox, parse_bbox, parse_position
from .hours import OpenState, Span, open_state
from .vocab import StationType, amenity_items

POSITION_NOTE = (
    "没能识别您提供的位置，已改为按社区排列。您可以点“按离我最近排序”重新定位，或检查网址中的经纬度。"
)
TYPE_LABELS = dict(StationType.choices)

# Row groups, in list order; the page says where each later group begins.
OPEN = "open"
CLOSED = "closed"
FAR = "far"
UNPLACED = "unplaced"
GROUP_HEADINGS = {
    CLOSED: "以下驿站现在未开放",
    FAR: "以下站点离您较远",
    UNPLACED: "以下站点暂未标注位置",
}


def page_size() -> int:
    return int(getattr(settings, "STATION_PAGE_SIZE", 20))


def open_first_band_m() -> float:
    return float(getattr(settings, "STATION_OPEN_FIRST_BAND_M", 3000))


def map_limit() -> int:
    return int(getattr(settings, "STATION_MAP_LIMIT", 300))


@dataclass(frozen=True)
class StationPoint:
    """What the list, a card and the map need of one station: plain values, cheap to
    keep in the cache and to read back. Attribute names match ``StationPage``'s, so the
    shared includes (open badge, actions) take either."""

    pk: int
    title: str
    url: str
    station_type: str
    community_slug: str
    community_name: str
    address: str
    phone: str
    amenities: tuple[str, ...]
    lat: float | None
    lng: float | None
    always_open: bool
    suspended: bool
    spans: tuple[Span, ...] = ()

    def open_state(self, *, now: datetime) -> OpenState:
        return open_state(spans=self.spans, always_open=self.always_open, suspended=self.suspended, now=now)

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lng is not None

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.station_type, "")

    @property
    def amenity_items(self):
        return amenity_items(list(self.amenities))

    @property
    def geo_uri(self) -> str:
        return geo_uri(lat=self.lat, lng=self.lng, name=self.title)

    @property
    def web_map_url(self) -> str:
        return amap_marker_url(lat=self.lat, lng=self.lng, name=self.title)


@dataclass(frozen=True)
class StationRow:
    station: StationPoint
    state: OpenState
    distance_m: float | None = None
    group: str = OPEN
    heading: str = ""  # set on the first row of a group within the page shown

    @property
    def distance_label(self) -> str:
        return "" if self.distance_m is None else distance_label(self.distance_m)


def _matches(point: StationPoint, *, wanted: set[str], station_type: str, community_slug: str) -> bool:
    if station_type and point.station_type != station_type:
        return False
    if community_slug and point.community_slug != community_slug:
        return False
    return wanted <= set(point.amenities)


def stations_near(
    *,
    stations: list[StationPoint],
    now: datetime,
    amenities: list[str] | tuple[str, ...] = (),
    station_type: str = "",
    community_slug: str = "",
    open_only: bool = False,
    position: tuple[float, float] | None = None,
    band_m: float | None = None,
) -> list[StationRow]:
    """Stations that match every filter, in the order of the module's rules."""
    wanted = set(amenities)
    rows = []
    states: dict[tuple, OpenState] = {}  # many stations share a week: work each week out once
    for point in stations:
        if not _matches(point, wanted=wanted, station_type=station_type, community_slug=community_slug):
            continue
        week = (point.spans, point.always_open, point.suspended)
        state = states.get(week)
        if state is None:
            state = states[week] = point.open_state(now=now)
        if open_only and not state.is_open:
            continue
        distance = None
        if position and point.has_position:
            distance = haversine_m(lat1=position[0], lng1=position[1], lat2=point.lat, lng2=point.lng)
        rows.append(StationRow(point, state, distance, OPEN if state.is_open else CLOSED))
    if not position:
        rows.sort(key=lambda r: (not r.state.is_open, r.station.community_name, r.station.title))
        return rows
    return _nearest_open_first(rows, band_m=open_first_band_m() if band_m is None else band_m)


def _nearest_open_first(rows: list[StationRow], *, band_m: float) -> list[StationRow]:
    placed = [r for r in rows if r.distance_m is not None]
    unplaced = sorted((r for r in rows if r.distance_m is None), key=lambda r: r.station.title)
    if not placed:
        return [_in_group(r, UNPLACED) for r in unplaced]
    limit = min(r.distance_m for r in placed) + band_m

    def group(row: StationRow) -> str:
        if row.distance_m > limit:
            return FAR
        return OPEN if row.state.is_open else CLOSED

    order = {OPEN: 0, CLOSED: 1, FAR: 2}
    grouped = [_in_group(r, group(r)) for r in placed]
    grouped.sort(key=lambda r: (order[r.group], r.distance_m, r.station.title))
    return grouped + [_in_group(r, UNPLACED) for r in unplaced]


def _in_group(row: StationRow, group: str) -> StationRow:
    return StationRow(row.station, row.state, row.distance_m, group)


def _with_headings(rows: list[StationRow]) -> list[StationRow]:
    """Each group's heading on its first row of the page (a page that starts inside a
    later group says so too)."""
    shown, previous = [], OPEN
    for row in rows:
        heading = GROUP_HEADINGS.get(row.group, "") if row.group != previous else ""
        shown.append(StationRow(row.station, row.state, row.distance_m, row.group, heading))
        previous = row.group
    return shown


def _filters(params: QueryDict, communities) -> tuple[StationFilterForm, dict]:
    form = StationFilterForm(params, communities=communities)
    form.is_valid()  # invalid fields drop out of cleaned_data and are ignored
    data = form.cleaned_data
    return form, {
        "amenities": data.get("amenity") or [],
        "station_type": data.get("type") or "",
        "community_slug": data.get("community") or "",
        "open_only": bool(data.get("open")),
    }


def station_finder(*, stations: list[StationPoint], communities, params: QueryDict, now: datetime) -> dict:
    """The finder's context: the filter form, one page of rows and what the page says
    about them. ``communities`` are (slug, name) pairs for the community filter."""
    form, filters = _filters(params, communities)
    position = None
    position_note = ""
    if params.get("lat") or params.get("lng"):
        position = parse_position(params.get("lat"), params.get("lng"))
        if position is None:
            position_note = POSITION_NOTE
    rows = stations_near(stations=stations, now=now, position=position, **filters)
    page = Paginator(rows, page_size()).get_page(params.get("page"))
    page.object_list = _with_headings(list(page.object_list))
    return {
        "filter_form": form,
        "rows": page.object_list,
        "page_obj": page,
        "total_count": len(rows),
        "open_count": sum(1 for r in rows if r.state.is_open),
        "position": position,
        "position_note": position_note,
        "open_only": filters["open_only"],
        "bounds": _bounds(rows),
        "canonical_query": _canonical_query(form, page.number),
        "filtered": any(params.get(key) for key in ("amenity", "type", "community")),
    }


def _bounds(rows: list[StationRow]) -> str:
    """ "south,west,north,east" around the matching stations, for the map's first view."""
    placed = [r.station for r in rows if r.station.has_position]
    if not placed:
        return ""
    lats, lngs = [p.lat for p in placed], [p.lng for p in placed]
    return f"{min(lats):.6f},{min(lngs):.6f},{max(lats):.6f},{max(lngs):.6f}"


def _canonical_query(form: StationFilterForm, number: int) -> str:
    """The list's own address: its filters and page, never the resident's position."""
    data = form.cleaned_data
    pairs = [("amenity", code) for code in data.get("amenity") or []]
    pairs += [(key, data[key]) for key in ("type", "community") if data.get(key)]
    if data.get("open"):
        pairs.append(("open", "on"))
    if number > 1:
        pairs.append(("page", str(number)))
    return f"?{urlencode(pairs)}" if pairs else ""


def stations_in_view(*, stations: list[StationPoint], communities, params: QueryDict, now: datetime) -> dict:
    """The map's compact answer: the stations inside ``bbox`` that match the list's
    filters, open ones first, at most ``map_limit()``. No personal data: a station's
    public name, place, state and link only."""
    _form, filters = _filters(params, communities)
    bbox = parse_bbox(params.get("bbox"))
    if bbox is None:
        return {
            "error": "bbox 参数应为 西边经度,南边纬度,东边经度,北边纬度，如 102.70,25.03,102.73,25.05",
            "stations": [],
        }
    inside = [p for p in stations if p.has_position and in_bbox(bbox, lat=p.lat, lng=p.lng)]
    rows = stations_near(stations=inside, now=now, **filters)
    limit = map_limit()
    return {
        "count": len(rows),
        "truncated": len(rows) > limit,
        "stations": [
            {
                "id": r.station.pk,
                "name": r.station.title,
                "lat": round(r.station.lat, 6),
                "lng": round(r.station.lng, 6),
                "open": r.state.is_open,
                "url": r.station.url,
            }
            for r in rows[:limit]
        ],
    }
