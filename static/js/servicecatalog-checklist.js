/* Material checklist: reveal the print button. Without this script the page is
   still a printable list; the browser's own print menu does the same. */
(function () {
  "use strict";
  var button = document.querySelector(".print-button");
  if (!button || typeof window.print !== "function") return;
  button.hidden = false;
  var hint = document.querySelector(".print-hint");
  if (hint) hint.hidden = true;
  button.addEventListener("click", function () { window.print(); });
})();
