/* Save the chart into a case: the entities drawn (not counted hub nodes), where they
   sit, their colour, pinned / hidden / group, each node's note, the links between
   them, and a note on the whole chart. POST /api/v1/cases/{case}/charts. */

import { call } from "./api.js";

/** The chart as the API takes it. */
export function snapshot(cy, title, note) {
  var nodes = [];
  cy.nodes().forEach(function (n) {
    if (n.isParent() || n.hasClass("hub")) return;
    var p = n.position();
    var parent = n.parent();
    nodes.push({
      entity_id: n.id(), caption: n.data("caption"), schema: n.data("schema") || "",
      x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10, color: n.data("color"),
      pinned: n.hasClass("pinned"), hidden: n.hasClass("hidden"),
      group: parent.nonempty() ? parent.data("label") : "", note: n.data("note") || ""
    });
  });
  var drawn = new Set(nodes.map(function (n) { return n.entity_id; }));
  var edges = [];
  cy.edges().forEach(function (e) {
    if (e.hasClass("hub-link") || !drawn.has(e.source().id()) || !drawn.has(e.target().id())) return;
    edges.push({ edge_id: e.data("eid"), source: e.source().id(), target: e.target().id(), type: e.data("type") });
  });
  return { title: title, note: note, nodes: nodes, edges: edges };
}

export function saveForm(form, cy, csrf, say) {
  var select = form.querySelector("#chart-case");
  var result = form.querySelector("#chart-result");
  var loaded = false;
  function loadCases() {
    if (loaded) return;
    loaded = true;
    call("/api/v1/cases", csrf).then(function (cases) {
      select.replaceChildren();
      cases.forEach(function (c) {
        var option = document.createElement("option");
        option.value = c.id;
        option.textContent = c.name;
        select.appendChild(option);
      });
      if (!cases.length) {
        var none = document.createElement("option");
        none.value = "";
        none.textContent = "You are in no case yet: open one under Cases";
        select.appendChild(none);
      }
      form.setAttribute("data-cases", String(cases.length));
    }).catch(function (error) { loaded = false; result.textContent = "Could not list your cases: " + error.message; });
  }
  form.addEventListener("toggle", loadCases);
  form.querySelector("#chart-save").addEventListener("click", function () {
    var caseId = select.value;
    var title = form.querySelector("#chart-title").value.trim();
    if (!caseId) { result.textContent = "Choose a case first."; return; }
    if (!title) { result.textContent = "Give the chart a title."; return; }
    var body = snapshot(cy, title, form.querySelector("#chart-note").value);
    result.textContent = "Saving…";
    call("/api/v1/cases/" + encodeURIComponent(caseId) + "/charts", csrf, body).then(function (chart) {
      result.replaceChildren();
      result.append("Saved “" + chart.title + "” (" + chart.nodes.length + " entities) into ");
      var link = document.createElement("a");
      link.href = "/cases/" + encodeURIComponent(caseId);
      link.textContent = select.options[select.selectedIndex].textContent;
      result.appendChild(link);
      result.append(".");
      form.setAttribute("data-saved", chart.id);
      say("Chart saved into the case.");
    }).catch(function (error) { result.textContent = "Not saved: " + error.message; });
  });
}
