/* The site's maps: fetch Leaflet (static/vendor/leaflet) the first time a map is shown,
   then draw a map with the tile provider the server configured (portal/maps.py), or a
   plain background with a note when there are no tiles. Pages work without this file:
   every map repeats its place in text. Used by place-map.js and station-map.js. */
(function () {
  "use strict";
  if (window.portalMap) { return; }
  var loader = document.getElementById("portal-map-loader");
  var configNode = document.getElementById("portal-map-config");
  var config = configNode ? JSON.parse(configNode.textContent) : { tiles: [], center: [25.04, 102.71], zoom: 14 };
  var waiting = null;

  function load(done) {
    if (window.L) { done(window.L); return; }
    if (waiting) { waiting.push(done); return; }
    waiting = [done];
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = loader.getAttribute("data-leaflet-css");
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = loader.getAttribute("data-leaflet-js");
    script.onload = function () {
      var callbacks = waiting;
      waiting = null;
      callbacks.forEach(function (cb) { cb(window.L); });
    };
    document.head.appendChild(script);
  }

  /* A Leaflet map in `element`; `done(map, L)` once it is ready. */
  function create(element, options, done) {
    load(function (L) {
      var map = L.map(element, {
        center: options.center || config.center,
        zoom: options.zoom || config.zoom,
        attributionControl: true,
        tap: true
      });
      map.attributionControl.setPrefix(false);
      if (config.tiles.length) {
        config.tiles.forEach(function (layer) {
          L.tileLayer(layer.url, { subdomains: layer.subdomains || "abc", maxZoom: layer.maxZoom, attribution: config.attribution }).addTo(map);
        });
      } else {
        element.classList.add("map-no-tiles");
        map.attributionControl.addAttribution(config.note);
      }
      done(map, L);
    });
  }

  window.portalMap = { config: config, load: load, create: create };
})();
