/* threadline pages: provenance pop-ups on entity values, and copy buttons of ids.
   Our own code, no libraries. Data is only ever set with textContent. */
(function () {
  "use strict";

  function closeAll(except) {
    document.querySelectorAll(".fact.open").forEach(function (fact) {
      if (fact === except) return;
      fact.classList.remove("open");
      var button = fact.querySelector(".prov-toggle");
      if (button) button.setAttribute("aria-expanded", "false");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".prov-toggle") : null;
    if (!button) {
      if (!event.target.closest || !event.target.closest(".prov")) closeAll(null);
      return;
    }
    var fact = button.closest(".fact");
    var open = !fact.classList.contains("open");
    closeAll(fact);
    fact.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeAll(null);
  });
})();

/* Copy buttons (`data-copy`, from the idchip macro): the clipboard API where the page
   may use it (a secure context), else a selected textarea and execCommand("copy"); if
   even that is refused, the full id is shown selected, for the user's own copy key. */
(function () {
  "use strict";

  function said(button, text) {
    var label = button.querySelector("[aria-hidden]") || button;
    var before = button.getAttribute("data-label") || label.textContent;
    button.setAttribute("data-label", before);
    label.textContent = text;
    var status = document.getElementById("copy-status");
    if (status) status.textContent = text === "Copied" ? "Copied to the clipboard" : text;
    window.setTimeout(function () { label.textContent = before; }, 1500);
  }

  function legacyCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "copy-buffer";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done;
  }

  function showSelected(button, text) {
    var chip = button.closest(".idchip");
    var code = chip ? chip.querySelector("code") : null;
    if (!code) return;
    code.textContent = text;
    chip.classList.add("full");
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function fallback(button, text) {
    if (legacyCopy(text)) {
      said(button, "Copied");
    } else {
      showSelected(button, text);
      said(button, "Press Ctrl+C");
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    event.preventDefault();
    var text = button.getAttribute("data-copy") || "";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { said(button, "Copied"); },
        function () { fallback(button, text); }
      );
    } else {
      fallback(button, text);
    }
  });
})();
