/* One place on a map (static/js/map-loader.js draws the map).
   - [data-place-map]: shows the point of data-lat/data-lng, read-only; the map is drawn
     when it comes near the screen, so a page that is only read top to bottom pays for
     Leaflet only if the reader gets there.
   - [data-place-picker]: the report form's "在地图上标出位置": a tap on the map sets the
     form's latitude/longitude fields (data-lat-input/data-lng-input) and shows the pin;
     "使用我当前的位置" (feedback.js) moves the pin too. Without this script the
     form still works with the text place. */
(function () {
  "use strict";
  if (!window.portalMap) { return; }
  var PIN = { radius: 10, color: "#fff", weight: 3, fillColor: "#c8161d", fillOpacity: 1 };

  function readOnly(box) {
    var canvas = box.querySelector(".place-map-canvas");
    var point = [parseFloat(box.getAttribute("data-lat")), parseFloat(box.getAttribute("data-lng"))];
    if (!canvas || isNaN(point[0]) || isNaN(point[1])) { return; }
    function draw() {
      canvas.hidden = false;
      window.portalMap.create(canvas, { center: point, zoom: 16 }, function (map, L) {
        L.circleMarker(point, PIN).addTo(map).bindTooltip(box.getAttribute("data-label") || "", { direction: "top" });
      });
    }
    if (!("IntersectionObserver" in window)) { draw(); return; }
    var seen = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); draw(); }
    }, { rootMargin: "200px" });
    seen.observe(box);
  }

  function picker(box) {
    var lat = document.getElementById(box.getAttribute("data-lat-input"));
    var lng = document.getElementById(box.getAttribute("data-lng-input"));
    var open = box.querySelector("[data-place-picker-open]");
    var clear = box.querySelector("[data-place-picker-clear]");
    var canvas = box.querySelector(".place-map-canvas");
    var status = box.querySelector("[data-place-picker-status]");
    if (!lat || !lng || !open || !canvas) { return; }
    var map = null, pin = null, Leaflet = null;
    box.hidden = false;

    function current() {
      var p = [parseFloat(lat.value), parseFloat(lng.value)];
      return isNaN(p[0]) || isNaN(p[1]) ? null : p;
    }
    function say() {
      var p = current();
      status.textContent = p ? "已在地图上标出位置（纬度 " + p[0].toFixed(5) + "，经度 " + p[1].toFixed(5) + "），仅工作人员可见。" : "点地图上问题所在的地方，即可标出位置。";
      clear.hidden = !p;
    }
    function show() {
      var p = current();
      if (!map) { return; }
      if (!p) { if (pin) { pin.remove(); pin = null; } return; }
      if (!pin) { pin = Leaflet.circleMarker(p, PIN).addTo(map); } else { pin.setLatLng(p); }
      map.panTo(p);
    }
    function set(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      show();
      say();
    }
    open.addEventListener("click", function () {
      open.hidden = true;
      canvas.hidden = false;
      var p = current();
      window.portalMap.create(canvas, { center: p || undefined, zoom: p ? 17 : undefined }, function (m, L) {
        map = m;
        Leaflet = L;
        map.on("click", function (e) { set(e.latlng); });
        show();
        say();
      });
    });
    clear.addEventListener("click", function () { lat.value = ""; lng.value = ""; show(); say(); });
    [lat, lng].forEach(function (input) { input.addEventListener("change", function () { show(); say(); }); });
    if (current()) { say(); }
  }

  document.querySelectorAll("[data-place-map]").forEach(readOnly);
  document.querySelectorAll("[data-place-picker]").forEach(picker);
})();
