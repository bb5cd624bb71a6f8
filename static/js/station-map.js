/* The station finder's map view: "在地图上查看" shows a map of the stations that match
   the list's filters; each move of the map asks /stations/map/?bbox=… for the stations in
   view (open ones green). Leaflet is fetched only on that tap (map-loader.js). Without
   this script the list, its filters and its pages work as they are. */
(function () {
  "use strict";
  var section = document.querySelector("[data-station-map]");
  var button = document.querySelector(".map-button");
  if (!section || !button || !window.portalMap) { return; }
  var canvas = section.querySelector(".station-map-canvas");
  var status = section.querySelector("[data-station-map-status]");
  var filters = new URLSearchParams(window.location.search);
  ["page", "lat", "lng", "bbox"].forEach(function (key) { filters.delete(key); });
  var OPEN = { radius: 9, color: "#fff", weight: 2, fillColor: "#1a7f37", fillOpacity: 1 };
  var CLOSED = { radius: 7, color: "#fff", weight: 2, fillColor: "#6b7280", fillOpacity: 1 };
  var map = null, layer = null, Leaflet = null, asked = 0;
  button.hidden = false;

  function popup(station) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = station.url;
    link.textContent = station.name;
    var state = document.createElement("p");
    state.textContent = station.open ? "正在开放" : "现在未开放";
    box.appendChild(link);
    box.appendChild(state);
    return box;
  }

  function refresh() {
    var query = new URLSearchParams(filters);
    query.set("bbox", map.getBounds().toBBoxString());
    var ticket = ++asked;
    status.textContent = "正在读取站点…";
    fetch(section.getAttribute("data-points-url") + "?" + query.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (ticket !== asked) { return; }
        layer.clearLayers();
        (answer.stations || []).forEach(function (s) {
          Leaflet.circleMarker([s.lat, s.lng], s.open ? OPEN : CLOSED)
            .bindPopup(popup(s))
            .addTo(layer);
        });
        var open = (answer.stations || []).filter(function (s) { return s.open; }).length;
        status.textContent = answer.error ? answer.error : "图中有 " + answer.count + " 个站点，其中 " + open + " 个现在开放（绿色）。" +
          (answer.truncated ? "站点较多，只标出 " + answer.stations.length + " 个，请放大地图查看。" : "");
      })
      .catch(function () { status.textContent = "没能读取站点，请稍后再试，或使用下方列表。"; });
  }

  function show() {
    var bounds = (section.getAttribute("data-bounds") || "").split(",").map(parseFloat);
    var position = (section.getAttribute("data-position") || "").split(",").map(parseFloat);
    var here = position.length === 2 && !isNaN(position[0]) ? position : null;
    window.portalMap.create(canvas, { center: here || undefined, zoom: here ? 15 : undefined }, function (m, L) {
      map = m;
      Leaflet = L;
      layer = L.layerGroup().addTo(map);
      if (here) {
        L.circleMarker(here, { radius: 6, color: "#1d4ed8", weight: 3, fillColor: "#fff", fillOpacity: 1 })
          .bindTooltip("您的位置").addTo(map);
      } else if (bounds.length === 4 && !isNaN(bounds[0])) {
        map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]], { padding: [20, 20], maxZoom: 16 });
      }
      map.on("moveend", refresh);
      refresh();
    });
  }

  button.addEventListener("click", function () {
    var opening = section.hidden;
    section.hidden = !opening;
    button.setAttribute("aria-expanded", String(opening));
    button.textContent = opening ? "收起地图" : "在地图上查看";
    if (opening && !map) { show(); } else if (opening) { map.invalidateSize(); }
  });
})();
