"""Reads for the catalogue and the station finder.

Both list pages run a fixed number of queries whatever the number of items: one
query for the items plus one per prefetched relation, and none while the result is
in the shared cache (until content changes). "Open now", distance and the station
filters are computed in Python over that result, because they depend on the request
moment and position.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Q
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from home.listing import shared_choices, shared_page
from home.models import Community
from portal.cache import shared_fragment

from .forms import StationFilterForm
from .geo import distance_label, haversine_m, parse_position
from .hours import OpenState
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
    categories = shared_choices("service-categories", lambda: list(ServiceCategory.objects.all()))
    audiences = shared_choices("service-audiences", lambda: list(ServiceAudience.objects.all()))
    category = next((c for c in categories if c.slug == params.get("category")), None)
    audience = next((a for a in audiences if a.slug == params.get("audience")), None)
    keyword = (params.get("q") or "").strip()[:40]

    def items():
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
        return found

    page = shared_page(
        f"services:{index.pk}:{category and category.pk}:{audience and audience.pk}",
        items,
        number=params.get("page"),
        per_page=SERVICES_PER_PAGE,
        shared=not keyword,  # free text: not worth a cache slot per phrase
    )
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
class StationCard:
    """The parts of a station's card that are the same for every visitor at every
    moment, rendered once per content generation: a list of 26 stations spent most
    of its time rendering these."""

    heading: SafeString
    details: SafeString


@dataclass(frozen=True)
class StationRow:
    station: StationPage
    state: OpenState
    distance_m: float | None = None
    card: StationCard | None = None

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


def station_cards(
    *, index: StationIndexPage, stations: list[StationPage], request: HttpRequest
) -> dict[int, StationCard]:
    """The card parts of the index's stations (all of them) by page id; shared until
    content changes."""

    def render(template: str, station: StationPage) -> SafeString:
        # A plain context ({% pageurl %} reads "request"): no context processors per card.
        context = {"station": station, "request": request}
        return SafeString(render_to_string(f"servicecatalog/includes/{template}", context))

    def build() -> dict[int, StationCard]:
        return {
            station.pk: StationCard(
                heading=render("station_card_heading.html", station),
                details=render("station_card_details.html", station),
            )
            for station in stations
        }

    return shared_fragment(f"station-cards:{index.pk}:{request.get_host()}", build)


def _every_station(index: StationIndexPage) -> list[StationPage]:
    return shared_fragment(
        f"stations:{index.pk}",
        lambda: list(
            StationPage.objects.live()
            .descendant_of(index)
            .select_related("community", "grid")
            .prefetch_related("opening_hours")
        ),
    )


def station_finder(
    *, index: StationIndexPage, params: QueryDict, now: datetime, request: HttpRequest | None = None
) -> dict:
    communities = shared_choices(
        "communities",
        lambda: list(Community.objects.order_by("street__name", "name").values_list("slug", "name")),
    )
    form = StationFilterForm(params, communities=communities)
    form.is_valid()  # invalid fields drop out of cleaned_data and are ignored
    data = form.cleaned_data
    position = None
    position_note = ""
    if params.get("lat") or params.get("lng"):
        position = parse_position(params.get("lat"), params.get("lng"))
        if position is None:
            position_note = POSITION_NOTE
    every_station = _every_station(index)
    rows = stations_near(
        index=index,
        stations=every_station,
        now=now,
        amenities=data.get("amenity") or [],
        station_type=data.get("type") or "",
        community_slug=data.get("community") or "",
        open_only=bool(data.get("open")),
        position=position,
    )
    if request is not None:
        cards = station_cards(index=index, stations=every_station, request=request)
        rows = [replace(row, card=cards.get(row.station.pk)) for row in rows]
    return {
        "filter_form": form,
        "rows": rows,
        "open_count": sum(1 for r in rows if r.state.is_open),
        "position": position,
        "position_note": position_note,
        "filtered": any(params.get(key) for key in ("amenity", "type", "community", "open")),
        # Nothing asked: the filter form looks the same to everyone (shared by the template).
        "blank_filters": None if params else "",
    }
