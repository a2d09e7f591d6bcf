/* The graph explorer: Cytoscape.js (with the fcose layout) draws the neighbourhood the
   page carries as JSON (#graph-data, in the JSON API's own format) and the paths found;
   a node expands on click or Enter from GET /api/v1/graph/neighbours. Hubs fold into a
   counted node (collapse.js); nodes can be pinned, hidden, grouped and annotated; links
   filter by type and by time (timefilter.js); paths are stepped through one at a time
   (paths.js); the chart can be saved into a case (save.js).

   Layout stays stable: nodes added later are laid out among themselves around the node
   they came from, and nothing already drawn moves. The canvas is mirrored by a list of
   buttons (nodelist.js) for the keyboard. Names are data: the canvas draws them as
   text and the page sets them with textContent. */

import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";
import { call } from "./api.js";
import { hubLabel, plan } from "./collapse.js";
import { legend, nodeList } from "./nodelist.js";
import { detailsPanel } from "./panel.js";
import { pathStepper } from "./paths.js";
import { rings } from "./rings.js";
import { saveForm } from "./save.js";
import { colour, stylesheet } from "./style.js";
import { timeFilter } from "./timefilter.js";

cytoscape.use(fcose);

var BIG = 600; // above this many nodes: no edge labels or arrows, textures while panning
var EXPAND_LIMIT = 500;

function edgeId(id) { return "e:" + id; }

function byId(id) { return document.getElementById(id); }

// Cytoscape adds a <style> element to the page unless one with this id exists; the
// page's CSP refuses inline styles, so a placeholder stands in and app.css has the rule.
var CY_STYLESHEET = "__________cytoscape_stylesheet";

function mount() {
  var root = byId("graph");
  var dataEl = byId("graph-data");
  if (!root || !dataEl || root.getAttribute("data-ready")) return;
  if (!byId(CY_STYLESHEET)) {
    var placeholder = document.createElement("meta");
    placeholder.id = CY_STYLESHEET;
    document.head.appendChild(placeholder);
  }
  var data = JSON.parse(dataEl.textContent);
  var csrf = root.getAttribute("data-csrf") || "";
  var status = byId("graph-status");
  var panel = byId("panel-body");
  var typeBoxes = byId("type-boxes");
  var chosenTypes = data.types || [];
  var offTypes = new Set();
  var startId = data.start;
  var hubs = new Map(); // counted node id -> { anchor, type, nodes, edges }
  var expanded = new Set([startId]);
  var groupCount = 0;
  var keep = new Set();
  (data.paths || []).forEach(function (p) { p.node_ids.forEach(function (id) { keep.add(id); }); });
  var big = data.nodes.length > BIG;

  var cy = cytoscape({
    container: root,
    style: stylesheet(big),
    minZoom: 0.02,
    maxZoom: 5,
    boxSelectionEnabled: true,
    textureOnViewport: big,
    hideEdgesOnViewport: big,
    hideLabelsOnViewport: big,
    motionBlur: false,
    pixelRatio: big ? 1 : "auto"
  });
  window.threadlineGraph = cy; // for the benchmark and the curious

  function say(text) { if (status) status.textContent = text; }

  // Fit the drawing to the box until the user pans or zooms; never zoom in past 1.5,
  // where a small chart's labels would fill the box.
  var viewMoved = false;
  function frame() {
    if (viewMoved) return;
    // Without labels: measuring thousands of them costs seconds, and a frame with
    // them in view would not show them anyway.
    var bb = cy.elements().not(".hidden").boundingBox({ includeLabels: false, includeOverlays: false });
    if (!bb || !isFinite(bb.w) || !isFinite(bb.h)) return;
    var pad = 40;
    var width = Math.max(1, cy.width() - 2 * pad), height = Math.max(1, cy.height() - 2 * pad);
    var zoom = Math.min(1.5, width / Math.max(bb.w, 1), height / Math.max(bb.h, 1));
    cy.viewport({
      zoom: zoom,
      pan: { x: cy.width() / 2 - zoom * (bb.x1 + bb.w / 2), y: cy.height() / 2 - zoom * (bb.y1 + bb.h / 2) }
    });
  }
  root.addEventListener("wheel", function () { viewMoved = true; }, { passive: true });
  cy.on("dragpan", function () { viewMoved = true; });

  function nodeEl(n, position) {
    var classes = n.id === startId ? "start" : "";
    return {
      group: "nodes", position: position, classes: classes,
      data: {
        id: n.id, label: n.caption || n.id, caption: n.caption || n.id, schema: n.schema,
        datasets: n.datasets || [], color: colour(n.schema)
      }
    };
  }

  function edgeEl(e) {
    var classes = [e.derived ? "derived" : "", offTypes.has(e.type) ? "type-off" : ""].join(" ");
    return {
      group: "edges", classes: classes,
      data: {
        id: edgeId(e.id), eid: e.id, source: e.source, target: e.target, type: e.type,
        label: e.type, start: e.start || null, end: e.end || null, color: colour(e.type)
      }
    };
  }

  function has(id) { return cy.getElementById(id).nonempty(); }

  // New nodes start on rings around the node they came from.
  function ring(anchor, count, index) {
    var centre = anchor && anchor.nonempty() ? anchor.position() : { x: 0, y: 0 };
    var radius = 90 + 14 * Math.sqrt(count);
    var angle = (2 * Math.PI * index) / Math.max(1, count);
    return { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
  }

  function addNodes(list, anchor) {
    var fresh = list.filter(function (n) { return !has(n.id); });
    return cy.add(fresh.map(function (n, i) { return nodeEl(n, ring(anchor, fresh.length, i)); }));
  }

  function addEdges(list) {
    var fresh = list.filter(function (e) {
      return !has(edgeId(e.id)) && e.source !== e.target && has(e.source) && has(e.target);
    });
    return cy.add(fresh.map(edgeEl));
  }

  function addHub(anchorId, fold) {
    var id = "hub:" + anchorId + ":" + fold.type;
    if (has(id)) return cy.collection();
    hubs.set(id, { anchor: anchorId, type: fold.type, nodes: fold.nodes, edges: fold.edges });
    var label = hubLabel(fold.edges.length, fold.type);
    var anchor = cy.getElementById(anchorId);
    var at = anchor.nonempty() ? anchor.position() : { x: 0, y: 0 };
    var added = cy.add({
      group: "nodes", classes: "hub", position: { x: at.x + 60, y: at.y - 60 },
      data: {
        id: id, label: label, caption: label, schema: fold.type + " links (folded)",
        color: colour(fold.type), type: fold.type, count: fold.edges.length
      }
    });
    cy.add({
      group: "edges", classes: "hub-link",
      data: { id: "hublink:" + id, source: anchorId, target: id, type: fold.type, label: "", color: colour(fold.type) }
    });
    return added;
  }

  // Lay out only what is new, around its anchor; everything already drawn stays put.
  function layoutNew(added, anchor) {
    if (added.empty()) return;
    var nodes = added.nodes();
    var eles = nodes.union(anchor && anchor.nonempty() ? anchor : cy.collection());
    eles = eles.union(eles.edgesWith(eles));
    var options = {
      name: "fcose", randomize: false, animate: false, fit: false, quality: "default",
      nodeRepulsion: 8000, idealEdgeLength: 80, numIter: 1500
    };
    if (anchor && anchor.nonempty()) {
      options.fixedNodeConstraint = [{ nodeId: anchor.id(), position: Object.assign({}, anchor.position()) }];
    }
    try {
      eles.layout(options).run();
    } catch (error) {
      say("Layout of the new nodes fell back to rings: " + error.message); // the rings stay
    }
  }

  // Merge a fetched subgraph around `anchorId`; big groups of leaves fold into hubs.
  function merge(sub, anchorId) {
    var anchor = cy.getElementById(anchorId);
    var parts = plan(sub, anchorId, has, keep);
    var added = cy.collection();
    cy.batch(function () {
      added = added.union(addNodes(parts.nodes, anchor));
      added = added.union(addEdges(parts.edges));
      parts.folds.forEach(function (fold) { added = added.union(addHub(anchorId, fold)); });
    });
    return added;
  }

  function openHub(id) {
    var fold = hubs.get(id);
    if (!fold) return;
    var anchor = cy.getElementById(fold.anchor);
    var added = cy.collection();
    cy.batch(function () {
      cy.getElementById(id).remove();
      hubs.delete(id);
      added = added.union(addNodes(fold.nodes, anchor));
      added = added.union(addEdges(fold.edges));
    });
    layoutNew(added, anchor);
    frame();
    root.setAttribute("data-hubs-opened", String(Number(root.getAttribute("data-hubs-opened") || 0) + 1));
    refresh();
    say("Showing the " + fold.edges.length + " " + fold.type + " links of " + anchor.data("caption") +
      " (" + fold.nodes.length + " entities). " + counts() + ".");
  }

  function typeQuery() {
    return chosenTypes.map(function (t) { return "&types=" + encodeURIComponent(t); }).join("");
  }

  function expand(id) {
    var node = cy.getElementById(id);
    if (node.hasClass("hub")) { openHub(id); return; }
    if (expanded.has(id) || node.empty()) return;
    say("Expanding " + node.data("caption") + "…");
    root.setAttribute("aria-busy", "true");
    var url = "/api/v1/graph/neighbours?limit=" + EXPAND_LIMIT + "&entity_id=" + encodeURIComponent(id) + typeQuery();
    call(url, csrf)
      .then(function (sub) {
        expanded.add(id);
        var added = merge(sub, id);
        layoutNew(added, node);
        frame();
        refresh();
        say("Expanded " + node.data("caption") + ": " + added.nodes().length + " new nodes" +
          (sub.truncated ? " (more exist)" : "") + ". " + counts() + ".");
        root.setAttribute("data-expanded", String(Number(root.getAttribute("data-expanded") || 0) + 1));
        if (cy.getElementById(id).selected()) showPanel(cy.getElementById(id));
      })
      .catch(function (error) { say("Could not expand: " + error.message); })
      .then(function () { root.removeAttribute("aria-busy"); });
  }

  function counts() {
    var nodes = cy.nodes().filter(function (n) { return !n.isParent() && !n.hasClass("hub"); }).length;
    var edges = cy.edges().filter(function (e) { return !e.hasClass("hub-link"); }).length;
    return nodes + " entities, " + edges + " links";
  }

  var panelView = detailsPanel(panel, {
    start: startId,
    fold: function (id) { return hubs.get(id); },
    openHub: openHub,
    pin: function (node) { pin(node); },
    hide: function (node) { hide(node); },
    noted: function (node) {
      refresh();
      say("Note kept on " + node.data("caption") + " (it is saved with the chart).");
    }
  });
  function showPanel(node) { panelView.show(node); }

  function pin(nodes) {
    nodes.forEach(function (n) {
      if (n.hasClass("pinned")) { n.removeClass("pinned"); n.unlock(); } else { n.addClass("pinned"); n.lock(); }
    });
    refresh();
  }

  function hide(nodes) {
    nodes.addClass("hidden").unselect();
    refresh();
    say(cy.nodes(".hidden").length + " hidden: “Show hidden” brings them back.");
  }

  function select(id, add) {
    var node = cy.getElementById(id);
    if (node.empty()) return node;
    if (!add) cy.nodes(":selected").unselect();
    node.select();
    showPanel(node);
    return node;
  }

  function activate(id, add) {
    var node = select(id, add);
    if (!add) expand(id);
    list.sync();
    return node;
  }

  function selectedEntities() {
    return cy.nodes(":selected").filter(function (n) { return !n.isParent() && !n.hasClass("hub"); });
  }

  function group() {
    var chosen = selectedEntities();
    if (chosen.length < 1) { say("Select the nodes to group first (Shift+click, or Shift+Enter in the list)."); return; }
    groupCount += 1;
    var input = byId("g-group-name");
    var name = (input && input.value.trim()) || "Group " + groupCount;
    var id = "group:" + groupCount;
    cy.add({ group: "nodes", data: { id: id, label: name, caption: name, schema: "group", color: "#999" } });
    chosen.move({ parent: id });
    refresh();
    say("Grouped " + chosen.length + " nodes as “" + name + "”.");
  }

  function ungroup() {
    var parents = cy.nodes(":selected").parent().union(cy.nodes(":selected:parent"));
    parents.forEach(function (p) { p.children().move({ parent: null }); p.remove(); });
    refresh();
  }

  // Lay everything out again; pinned nodes are locked, so no layout moves them.
  function relayout() {
    if (big) rings(cy, startId);
    else {
      cy.elements().not(".hidden").layout({
        name: "fcose", randomize: false, animate: false, quality: "default",
        nodeRepulsion: 8000, idealEdgeLength: 80
      }).run();
    }
    viewMoved = false;
    frame();
  }

  // fcose reads well up to a few hundred nodes; beyond, rings by distance from the
  // start (rings.js) lay out thousands at once, and labels wait until zoomed in.
  function layoutAll() {
    if (big) { rings(cy, startId); return; }
    var fixed = has(startId) ? [{ nodeId: startId, position: { x: 0, y: 0 } }] : undefined;
    cy.layout({
      name: "fcose", randomize: true, animate: false, quality: "default",
      nodeRepulsion: 8000, idealEdgeLength: 80, fixedNodeConstraint: fixed
    }).run();
  }

  var list = nodeList(byId("graph-nodes"), cy, activate);
  var legendBox = byId("graph-legend");
  var time = timeFilter(byId("time-filter"), cy, function () { list.sync(); });

  function refresh() {
    list.sync();
    if (legendBox) legend(legendBox, cy);
    time.apply();
    say(counts() + (cy.nodes(".hub").length ? "; " + cy.nodes(".hub").length + " hubs folded (press Enter on one to show it)" : ""));
  }

  // Type filter: untick to hide a link type at once; "Show" fetches only ticked types.
  function setType(type, on) {
    if (on) offTypes.delete(type); else offTypes.add(type);
    cy.edges().filter(function (e) { return e.data("type") === type; }).toggleClass("type-off", !on);
  }
  function ensureTypeBox(type) {
    if (!typeBoxes) return;
    var boxes = typeBoxes.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) if (boxes[i].value === type) return;
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = "types"; box.value = type;
    box.checked = chosenTypes.length === 0 || chosenTypes.indexOf(type) >= 0;
    label.append(box, " " + type);
    typeBoxes.appendChild(label);
    if (!box.checked) setType(type, false);
  }
  if (typeBoxes) {
    typeBoxes.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (!box.checked) offTypes.add(box.value);
    });
    typeBoxes.addEventListener("change", function (event) {
      var box = event.target;
      if (box && box.type === "checkbox") setType(box.value, box.checked);
    });
  }
  cy.on("add", "edge", function (event) { if (!event.target.hasClass("hub-link")) ensureTypeBox(event.target.data("type")); });

  // The first drawing: the neighbourhood and the paths, laid out together once.
  var first = plan(data, startId, function () { return false; }, keep);
  var startNode = data.nodes.filter(function (n) { return n.id === startId; });
  cy.batch(function () {
    addNodes(startNode, null);
    addNodes(first.nodes, cy.getElementById(startId));
    (data.paths || []).forEach(function (p) { addNodes(p.nodes, cy.getElementById(startId)); });
    addEdges(first.edges);
    (data.paths || []).forEach(function (p) { addEdges(p.edges); });
  });
  if (cy.nodes().length > 1) layoutAll();
  cy.batch(function () { first.folds.forEach(function (fold) { addHub(startId, fold); }); });
  frame();

  cy.on("tap", "node", function (event) {
    var add = event.originalEvent && (event.originalEvent.shiftKey || event.originalEvent.ctrlKey);
    activate(event.target.id(), add);
  });
  // One list update per frame, however many nodes a click selects or unselects.
  var syncing = false;
  cy.on("select unselect", "node", function () {
    if (syncing) return;
    syncing = true;
    requestAnimationFrame(function () { syncing = false; list.sync(); });
  });

  byId("graph-nodes").addEventListener("keydown", function (event) {
    var target = event.target.closest && event.target.closest("button[data-id]");
    if (!target) return;
    var id = target.getAttribute("data-id");
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      activate(id, event.shiftKey);
    } else if (event.key === "p") {
      pin(cy.getElementById(id));
    } else if (event.key === "h") {
      hide(cy.getElementById(id));
    }
  });

  function on(id, action) { var el = byId(id); if (el) el.addEventListener("click", action); }
  on("g-fit", function () { viewMoved = false; frame(); });
  on("g-zoom-in", function () { viewMoved = true; cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: root.clientWidth / 2, y: root.clientHeight / 2 } }); });
  on("g-zoom-out", function () { viewMoved = true; cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: root.clientWidth / 2, y: root.clientHeight / 2 } }); });
  on("g-pin", function () { pin(selectedEntities()); });
  on("g-hide", function () { hide(selectedEntities()); });
  on("g-unhide", function () { cy.nodes(".hidden").removeClass("hidden"); refresh(); });
  on("g-group", group);
  on("g-ungroup", ungroup);
  on("g-relayout", relayout);

  var stepper = byId("path-stepper");
  if (stepper && data.paths && data.paths.length) pathStepper(stepper, cy, data.paths, edgeId, function () { list.sync(); });
  var save = byId("save-chart");
  if (save) saveForm(save, cy, csrf, say);

  refresh();
  if (has(startId)) { cy.getElementById(startId).select(); showPanel(cy.getElementById(startId)); list.sync(); }
  root.setAttribute("data-ready", "true");
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
else mount();
