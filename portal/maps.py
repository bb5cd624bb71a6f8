"""Map tiles: which provider draws the background of the site's maps.

Rules:

- One setting chooses the provider, ``MAP_TILES``: ``tianditu`` (天地图, the state's
  map service, with an approved map review number, fit for a government site; needs
  ``TIANDITU_KEY``, a browser key bound to the site's domain), ``osm`` (OpenStreetMap's
  public tiles: development and demos only, under its usage policy) or ``none``.
- Without a key 天地图 cannot serve, so the default is ``tianditu`` when ``TIANDITU_KEY``
  is set and ``none`` otherwise. With ``none`` the maps still place their points on a
  plain background and say, in Chinese, that there is no base map; every page that has a
  map also states the place in text, so nothing depends on tiles.
- Both providers draw in WGS-84 (天地图's CGCS2000 agrees within a metre), the system the
  site stores coordinates in, so points need no conversion. Providers in GCJ-02 (Amap,
  Tencent) are deliberately not offered for tiles; Amap links convert in
  ``servicecatalog.geo``.
- The Content-Security-Policy's ``img-src`` names the chosen provider's hosts
  (:func:`tile_hosts`, read by the settings).

Nothing here imports Django settings at import time, so the settings module can use it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TileLayer:
    url: str  # a Leaflet URL template; {key} is filled from the environment
    subdomains: str = ""
    max_zoom: int = 18


@dataclass(frozen=True)
class TileProvider:
    layers: tuple[TileLayer, ...]
    attribution: str
    hosts: tuple[str, ...]
    needs_key: bool = False


_TIANDITU_WMTS = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)

PROVIDERS: dict[str, TileProvider] = {
    "tianditu": TileProvider(
        # The street map and its Chinese labels are two layers.
        layers=tuple(
            TileLayer(url=_TIANDITU_WMTS.replace("{layer}", layer), subdomains="01234567")
            for layer in ("vec", "cva")
        ),
        attribution="天地图 · 国家地理信息公共服务平台",
        hosts=("https://*.tianditu.gov.cn",),
        needs_key=True,
    ),
    "osm": TileProvider(
        layers=(TileLayer(url="https://tile.openstreetmap.org/{z}/{x}/{y}.png", max_zoom=19),),
        attribution="© OpenStreetMap 贡献者",
        hosts=("https://tile.openstreetmap.org",),
    ),
}
NO_TILES_NOTE = "未接入地图底图，图中只标出位置；请以文字地址为准。"


def default_provider(tianditu_key: str) -> str:
    return "tianditu" if tianditu_key else "none"


def provider(name: str, key: str = "") -> TileProvider | None:
    """The provider called ``name``, or None for ``none``, an unknown name, or a provider
    whose key is missing (a map without tiles beats a map of error tiles)."""
    chosen = PROVIDERS.get(name)
    if chosen is None or (chosen.needs_key and not key):
        return None
    return chosen


def tile_hosts(name: str, key: str = "") -> list[str]:
    chosen = provider(name, key)
    return list(chosen.hosts) if chosen else []


def map_config(*, name: str, key: str, center: tuple[float, float], zoom: int) -> dict:
    """What the browser's map code needs (static/js/map-loader.js): tile layers with the
    key filled in, their attribution, and where a map with no point starts."""
    chosen = provider(name, key)
    layers = []
    if chosen:
        layers = [
            {
                "url": layer.url.replace("{key}", key),
                "subdomains": layer.subdomains,
                "maxZoom": layer.max_zoom,
            }
            for layer in chosen.layers
        ]
    return {
        "tiles": layers,
        "attribution": chosen.attribution if chosen else "",
        "note": "" if chosen else NO_TILES_NOTE,
        "center": list(center),
        "zoom": zoom,
    }
