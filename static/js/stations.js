/* Station finder: "nearest first" fills the lat/lng fields of the GET form from the
   browser's geolocation and submits it. Without this script (or without permission)
   the list still works, and the coordinates can be typed in by hand. */
(function () {
  "use strict";
  var form = document.getElementById("station-filter-form");
  if (!form || !("geolocation" in navigator)) return;
  var button = form.querySelector(".locate-button");
  var status = form.querySelector(".locate-status");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = "正在获取您的位置…";
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        form.elements.lat.value = pos.coords.latitude.toFixed(5);
        form.elements.lng.value = pos.coords.longitude.toFixed(5);
        status.textContent = "已定位，正在按距离排序…";
        form.submit();
      },
      function () {
        button.disabled = false;
        status.textContent = "没能获取位置。请在手机设置中允许浏览器定位，或在筛选里手动填写经纬度。";
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 }
    );
  });
})();
