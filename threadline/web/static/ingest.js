/* The ingest job page: poll the job in the JSON API (GET /api/v1/ingest/{id}) until
   it ends, showing its stage, results and row errors. Values are set with textContent
   only. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.getAttribute("data-url");
  // Someone else's job (an admin's look, each one on record) is polled less often.
  var every = Number(box.getAttribute("data-poll")) || 400;

  function text(value) { return value === null || value === undefined ? "—" : String(value); }

  function fill(tableId, rows) {
    var body = document.querySelector("#" + tableId + " tbody");
    while (body.firstChild) body.removeChild(body.firstChild);
    rows.forEach(function (cells) {
      var tr = document.createElement("tr");
      cells.forEach(function (value) {
        var td = document.createElement("td");
        td.textContent = text(value);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function show(job) {
    var finished = job.status === "done" || job.status === "failed" || job.status === "cancelled";
    document.getElementById("job-state").textContent = job.status;
    var error = document.getElementById("job-error");
    error.textContent = job.error || "";
    error.hidden = !job.error;
    var stage = job.stage;
    document.getElementById("job-stage").textContent = stage
      ? stage.label + ": " + stage.done + (stage.total ? " / " + stage.total : "") + " " + stage.unit
      : "waiting to start";
    var bar = document.getElementById("job-progress");
    if (job.status === "done") bar.value = 100;
    else if (stage && stage.total) bar.value = Math.min(100, Math.round((100 * stage.done) / stage.total));
    fill("job-reports", job.results.map(function (r) {
      return [r.file, r.dataset, r.records, r.entities, r.statements, r.errors.length];
    }));
    fill("job-errors", job.errors.map(function (e) { return [e.file, e.line, e.message]; }));
    box.setAttribute("data-state", job.status);
    document.getElementById("job-done").hidden = !finished;
    var cancel = document.getElementById("job-cancel");
    if (cancel && finished) cancel.hidden = true;
    return finished;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.statusText);
        return response.json();
      })
      .then(function (job) { if (!show(job)) window.setTimeout(poll, every); })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  if (["done", "failed", "cancelled"].indexOf(box.getAttribute("data-state")) < 0) poll();
})();
