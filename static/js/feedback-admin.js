// The moderators' queue: on a wide screen the filters start unfolded (on a phone they
// stay folded behind 筛选); 全选本页 ticks every report of the page for the bulk form.
// Wagtail loads a listing's scripts in <head>: wait for the page.
document.addEventListener("DOMContentLoaded", function () {
  var filters = document.querySelector(".queue-filters");
  if (filters && window.matchMedia("(min-width: 50em)").matches) {
    filters.open = true;
  }
  var selectAll = document.querySelector("[data-select-all]");
  if (!selectAll) return;
  var boxes = document.querySelectorAll("input[name=ids][form=complaint-bulk]");
  selectAll.hidden = boxes.length === 0;
  selectAll.addEventListener("click", function () {
    var tick = Array.prototype.some.call(boxes, function (box) { return !box.checked; });
    boxes.forEach(function (box) { box.checked = tick; });
    selectAll.textContent = tick ? "取消全选" : "全选本页";
  });
});
