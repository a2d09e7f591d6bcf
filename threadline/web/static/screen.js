/* The screening job on the screen page: poll the job in the JSON API
   (GET /api/v1/match-file/jobs/{id}) and show its progress; once it ends, load the
   page again, which shows the results (rendered, and escaped, by the server). */
(function () {
  "use strict";
  var box = document.getElementById("screen-job");
  if (!box) return;
  var url = box.getAttribute("data-url");
  var ended = ["done", "failed", "cancelled"];

  function show(job) {
    document.getElementById("screen-state").textContent = job.status;
    var stage = job.stage;
    document.getElementById("screen-stage").textContent = stage
      ? stage.label + ": " + stage.done + (stage.total ? " / " + stage.total : "") + " " + stage.unit
      : "waiting to start";
    if (stage && stage.total) {
      document.getElementById("screen-progress").value =
        Math.min(100, Math.round((100 * stage.done) / stage.total));
    }
    return ended.indexOf(job.status) >= 0;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.statusText);
        return response.json();
      })
      .then(function (job) {
        if (show(job)) window.location.reload();
        else window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  if (ended.indexOf(box.getAttribute("data-state")) < 0) poll();
})();
