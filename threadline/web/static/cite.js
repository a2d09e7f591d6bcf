/* threadline: copy a fact's citation ([[stmt:ID]]) in one click.
   Without JavaScript the citation stays visible as text to select and copy. */
(function () {
  "use strict";

  function copied(button, text) {
    var before = button.textContent;
    button.textContent = text;
    window.setTimeout(function () { button.textContent = before; }, 1500);
  }

  function fallback(value) {
    var area = document.createElement("textarea");
    area.value = value;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  document.querySelectorAll(".copy-cite").forEach(function (button) {
    button.hidden = false;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".copy-cite") : null;
    if (!button) return;
    var value = button.getAttribute("data-cite") || "";
    button.setAttribute("data-copied", value);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(value).then(
        function () { copied(button, "Copied"); },
        function () { copied(button, fallback(value) ? "Copied" : "Select and copy the text"); }
      );
    } else {
      copied(button, fallback(value) ? "Copied" : "Select and copy the text");
    }
  });
})();
