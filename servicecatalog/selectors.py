"""Reads for the catalogue and the station finder.

Both list pages run a fixed number of queries whatever the number of items: one
query for the items plus one per prefetched relation. "Open now", distance and the
station filters are computed in Python over that result, because they depend on the
request moment and position; the templates keep the rendered rows in fragments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import QueryDict

from home.models import Community

from .forms import StationFilterForm
from .geo import distance_label, haversine_m, parse_position
from .hours import OpenState, local_time
from .models import (
    ServiceAudience,
    ServiceCategory,
    ServiceIndexPage,
    ServiceItemPage,
    StationIndexPage,
    StationPage,
)

SERVICES_PER_PAGE = 20
POSITION_NOTE = (
    "没能识别您提供的位置，已改为按社区排列。您可以点“按离我最近排序”重新定位，或检查网址中的经纬度。"
)


def service_catalogue(*, index: ServiceIndexPage, params: QueryDict) -> dict:
    categories = list(ServiceCategory.objects.all())
    audiences = list(ServiceAudience.objects.all())
    category = next((c for c in categories if c.slug == params.get("category")), None)
    audience = next((a for a in audiences if a.slug == params.get("audience")), None)
    keyword = (params.get("q") or "").strip()[:40]

    found = (
        ServiceItemPage.objects.live()
        .descendant_of(index)
        .select_related("category")
        .prefetch_related("audiences")
        .order_by("category__sort_order", "category__name", "title")
    )
    if category:
        found = found.filter(category=category)
    if audience:
        found = found.filter(audiences=audience)
    if keyword:
        found = found.filter(
            Q(title__icontains=keyword) | Q(summary__icontains=keyword) | Q(code__icontains=keyword)
        )
    # The count is read here; the rows only when the template's fragment misses.
    page = Paginator(found, SERVICES_PER_PAGE).get_page(params.get("page"))
    return {
        "categories": categories,
        "audiences": audiences,
        "current_category": category,
        "current_audience": audience,
        "keyword": keyword,
        "services": page,
    }


def featured_services(*, limit: int = 6) -> list[ServiceItemPage]:
    return list(
        ServiceItemPage.objects.live()
        .filter(featured=True)
        .select_related("category")
        .order_by("title")[:limit]
    )


@dataclass(frozen=True)
class StationRow:
    station: StationPage
    state: OpenState
    distance_m: float | None = None

    @property
    def distance_label(self) -> str:
        return "" if self.distance_m is None else distance_label(self.distance_m)


def stations_near(
    *,
    index: StationIndexPage,
    now: datetime,
    amenities: list[str] | tuple[str, ...] = (),
    station_type: str = "",
    community_slug: str = "",
    open_only: bool = False,
    position: tuple[float, float] | None = None,
    stations: list[StationPage] | None = None,
) -> list[StationRow]:
    """Stations that match every filter, nearest first when a position is given.

    Without a position, stations open now come first, then by community and name.
    Stations without coordinates go last in a distance sort. ``stations`` are the
    index's live stations, if the caller has them already.
    """
    every_station = _every_station(index) if stations is None else stations
    wanted = set(amenities)
    rows = []
    for station in every_station:
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


def _every_station(index: StationIndexPage) -> list[StationPage]:
    return list(
        StationPage.objects.live()
        .descendant_of(index)
        .select_related("community", "grid")
        .prefetch_related("opening_hours")
    )


def station_finder(*, index: StationIndexPage, params: QueryDict, now: datetime) -> dict:
    communities = Community.objects.order_by("street__name", "name").values_list("slug", "name")
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
        index=index,
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
        # The rows' markup changes with the minute ("open now") and the filters; a
        # position makes every visitor's list their own, not worth keeping (0 s).
        "rows_minute": local_time(now).strftime("%Y%m%d%H%M"),
        "rows_seconds": 0 if position else 60,
    }
