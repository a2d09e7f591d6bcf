/* Review queue keyboard shortcuts: s same, n not the same, u unsure, z undo.
   Each key presses the button that carries it in data-key, so the same POST form
   (with its CSRF token) is sent as with a mouse. */
(function () {
  "use strict";
  var busy = false;
  document.addEventListener("keydown", function (event) {
    if (busy || event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    var key = (event.key || "").toLowerCase();
    var button = document.querySelector('button[data-key="' + key.replace(/[^a-z]/g, "") + '"]');
    if (!key || !button) return;
    event.preventDefault();
    busy = true;
    button.classList.add("pressed");
    button.click();
  });
})();
