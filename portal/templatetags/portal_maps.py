"""``{% map_assets %}``: the map configuration and the small loader that fetches Leaflet
only when a map is first shown. Pages without a map load nothing of it."""

from django import template
from django.conf import settings

from portal.maps import map_config

register = template.Library()


@register.inclusion_tag("includes/map_assets.html")
def map_assets():
    center = getattr(settings, "MAP_DEFAULT_CENTER", (25.0405, 102.7129))
    return {
        "map_config": map_config(
            name=getattr(settings, "MAP_TILES", "none"),
            key=getattr(settings, "TIANDITU_KEY", ""),
            center=center,
            zoom=int(getattr(settings, "MAP_DEFAULT_ZOOM", 14)),
        )
    }
