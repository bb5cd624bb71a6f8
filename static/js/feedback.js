/* Optional enhancements for the report form; the form works without them.
   - focus the error summary so screen readers announce it;
   - "use my location" fills the hidden latitude/longitude fields. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  var box = document.querySelector("[data-locate]");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  if (!box || !lat || !lng || !("geolocation" in navigator)) { return; }
  var button = box.querySelector("[data-locate-button]");
  var status = box.querySelector("[data-locate-status]");
  box.hidden = false;
  if (lat.value && lng.value) { status.textContent = "已记录您的位置。"; }
  button.addEventListener("click", function () {
    status.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
      status.textContent = "已记录您的位置（仅工作人员可见）。";
    }, function () {
      status.textContent = "未能获取位置，请在“具体地点”中填写。";
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
})();

/* The grid list offers only the chosen community's grids (the server refuses another's). */
(function () {
  "use strict";
  var community = document.getElementById("id_community");
  var grid = document.getElementById("id_grid");
  if (!community || !grid) { return; }
  var all = Array.prototype.slice.call(grid.options);
  function offer() {
    var chosen = community.value;
    var keep = grid.value;
    while (grid.options.length) { grid.remove(0); }
    all.forEach(function (option) {
      var of = option.getAttribute("data-community");
      if (!of || (chosen && of === chosen)) { grid.add(option); }
    });
    grid.value = keep;
    if (grid.value !== keep) { grid.value = ""; }
    grid.disabled = !chosen;
  }
  community.addEventListener("change", offer);
  offer();
})();
