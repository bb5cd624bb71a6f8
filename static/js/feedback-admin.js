// The moderators' queue: 全选本页 ticks every report of the page for the bulk form
// (without JavaScript the button stays hidden and each report is ticked by hand).
// Wagtail loads a listing's scripts in <head>: wait for the page.
document.addEventListener("DOMContentLoaded", function () {
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
