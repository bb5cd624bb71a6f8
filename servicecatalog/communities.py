"""The stations part of a community's page (``home.communities``): its 党群服务中心,
open now or not, and a link to the finder narrowed to the community's other stations."""

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.utils import timezone

from home.sections import HomeSection

from .models import StationIndexPage, StationPage
from .vocab import StationType


def community_stations_section(request, community) -> HomeSection | None:
    stations = list(
        StationPage.objects.live()
        .filter(community=community)
        .prefetch_related("opening_hours")
        .order_by("path")
    )
    index = StationIndexPage.objects.live().first()
    if not stations and index is None:
        return None
    now = timezone.now()
    centres = [
        {"station": s, "state": s.open_state(now=now)}
        for s in stations
        if s.station_type == StationType.PARTY_CENTER
    ]
    others = len(stations) - len(centres)
    finder_url = f"{index.url}?{urlencode({'community': community.slug})}" if index else ""
    html = render_to_string(
        "servicecatalog/includes/community_stations.html",
        {
            "community": community,
            "centres": centres,
            "others": others if finder_url else 0,
            "finder_url": finder_url,
        },
        request=request,
    )
    return HomeSection(order=10, html=html)
