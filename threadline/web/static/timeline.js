/* threadline: a timeline's filter applies as soon as a choice changes.
   Without JavaScript the "Show" button sends the same form. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-timeline-filter]").forEach(function (form) {
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () {
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      });
    });
  });
})();
