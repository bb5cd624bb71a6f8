/* Optional enhancements for the report form; the form works without them.
   - focus a limit's notice or the error summary so screen readers announce it;
   - "use my location" fills the hidden latitude/longitude fields;
   - once category, community and description are given, similar open public reports
     are looked up (debounced) and shown, offering 我也遇到 (without JavaScript the
     server shows them as a step of the form). */
(function () {
  "use strict";
  var summary = document.getElementById("limit-notice") || document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  similarReports();

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
      lat.dispatchEvent(new Event("change"));  // place-map.js moves its pin
      status.textContent = "已记录您的位置（仅工作人员可见）。";
    }, function () {
      status.textContent = "未能获取位置，请在“具体地点”中填写。";
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
})();

function similarReports() {
  "use strict";
  var box = document.querySelector("[data-similar]");
  var form = box && box.closest("form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var fields = ["category", "community", "description", "latitude", "longitude"];
  var seen = form.querySelector("[name=similar_seen]");
  var timer = null, last = "";
  function value(name) { var el = form.elements[name]; return el ? el.value.trim() : ""; }
  function lookUp() {
    if (!value("category") || !value("community") || value("description").length < 10) { return; }
    var body = new FormData();
    fields.forEach(function (name) { body.append(name, value(name)); });
    body.append("csrfmiddlewaretoken", value("csrfmiddlewaretoken"));
    var key = fields.map(value).join("|");
    if (key === last) { return; }
    last = key;
    fetch(box.getAttribute("data-similar-url"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        box.innerHTML = data.html;
        box.hidden = !data.count;
        // The resident has seen them: submitting now means a new report (no step).
        if (data.count && seen && !seen.value) { seen.value = "seen"; }
      })
      .catch(function () { last = ""; });
  }
  function later() { clearTimeout(timer); timer = setTimeout(lookUp, 700); }
  ["category", "community", "description"].forEach(function (name) {
    var el = form.elements[name];
    if (el) { el.addEventListener("input", later); el.addEventListener("change", later); }
  });
  lookUp();
}

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
