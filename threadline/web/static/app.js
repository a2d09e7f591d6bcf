/* threadline pages: provenance pop-ups on entity values.
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
