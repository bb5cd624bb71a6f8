/* Optional enhancement for the evaluation form; the form works without it.
   - focus the error summary so screen readers announce it;
   - show only the target select (and "your community") that fits the chosen type. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  var radios = document.querySelectorAll("input[name=target_type][type=radio]");
  var blocks = document.querySelectorAll("[data-evaluate-for]");
  if (!radios.length || !blocks.length) { return; }
  var help = document.querySelector("[data-evaluate-help]");

  function update() {
    var chosen = "";
    radios.forEach(function (radio) { if (radio.checked) { chosen = radio.value; } });
    blocks.forEach(function (block) {
      var kinds = block.getAttribute("data-evaluate-for").split(" ");
      block.hidden = !chosen || kinds.indexOf(chosen) === -1;
    });
    if (help) { help.hidden = true; }
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
