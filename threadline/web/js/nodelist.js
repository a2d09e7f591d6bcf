/* What the canvas shows, as HTML a keyboard and a screen reader can use: a list of the
   drawn entities (Tab to one; Enter selects and expands it, Shift+Enter adds it to the
   selection) and the legend of schemas and link types. Text is set with textContent. */

import { colour } from "./style.js";

var FLAGS = ["on-path", "pinned", "hidden", "start", "hub", "noted"];

export function nodeList(list, cy, activate) {
  var items = new Map();
  function item(node) {
    var li = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "graph-node";
    button.setAttribute("data-id", node.id());
    var swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.setAttribute("aria-hidden", "true");
    var name = document.createElement("span");
    name.className = "name";
    var meta = document.createElement("span");
    meta.className = "meta";
    button.append(swatch, name, " ", meta);
    button.addEventListener("click", function (event) { activate(node.id(), event.shiftKey); });
    li.appendChild(button);
    return li;
  }
  function sync() {
    var seen = new Set();
    cy.nodes().forEach(function (node) {
      if (node.isParent()) return;
      var id = node.id();
      seen.add(id);
      var li = items.get(id);
      if (!li) { li = item(node); items.set(id, li); list.appendChild(li); }
      var button = li.firstChild;
      var label = node.data("caption");
      button.querySelector(".name").textContent = label;
      button.querySelector(".meta").textContent = node.data("schema") || "";
      // CSSOM, not a style attribute: the page's CSP allows only the former.
      button.querySelector(".swatch").style.backgroundColor = node.data("color");
      FLAGS.forEach(function (flag) { li.classList.toggle(flag, node.hasClass(flag)); });
      li.classList.toggle("selected", node.selected());
      button.setAttribute("aria-pressed", node.selected() ? "true" : "false");
      button.setAttribute("aria-label", label + " (" + (node.data("schema") || "") + ")" +
        (node.hasClass("hub") ? ": press Enter to show them" : ": Enter selects and expands"));
    });
    items.forEach(function (li, id) { if (!seen.has(id)) { li.remove(); items.delete(id); } });
  }
  return { sync: sync };
}

function entry(box, name, count, kind, folded) {
  var li = document.createElement("li");
  var swatch = document.createElement("span");
  swatch.className = "swatch " + kind;
  swatch.style.backgroundColor = colour(name);
  swatch.setAttribute("aria-hidden", "true");
  var text = document.createElement("span");
  var counts = [count ? String(count) : "", folded ? folded + " folded" : ""].filter(Boolean);
  text.textContent = name + " (" + counts.join(", ") + ")";
  li.append(swatch, text);
  box.appendChild(li);
}

/** Redraw the legend: each schema and link type in view, with its colour and count. */
export function legend(box, cy) {
  var schemas = new Map(), types = new Map(), folded = new Map();
  cy.nodes().forEach(function (n) {
    if (n.hasClass("hub")) {
      folded.set(n.data("type"), (folded.get(n.data("type")) || 0) + n.data("count"));
      if (!types.has(n.data("type"))) types.set(n.data("type"), 0);
      return;
    }
    if (n.isParent()) return;
    schemas.set(n.data("schema"), (schemas.get(n.data("schema")) || 0) + 1);
  });
  cy.edges().forEach(function (e) {
    if (e.hasClass("hub-link")) return;
    types.set(e.data("type"), (types.get(e.data("type")) || 0) + 1);
  });
  var schemaList = box.querySelector("#legend-schemas");
  var typeList = box.querySelector("#legend-types");
  schemaList.replaceChildren();
  typeList.replaceChildren();
  Array.from(schemas.keys()).sort().forEach(function (s) { entry(schemaList, s, schemas.get(s), "dot"); });
  Array.from(types.keys()).sort().forEach(function (t) {
    entry(typeList, t, types.get(t), "line", folded.get(t));
  });
}
