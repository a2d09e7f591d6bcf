/* Hubs: when one entity brings more new neighbours through one link type than a chart
   can show legibly (HUB_LIMIT), they are folded into one counted node ("+184 Payment
   links") that keeps them and adds them on demand. Only leaves fold: a neighbour that
   also links to something already drawn, or lies on a path, is always shown. */

export var HUB_LIMIT = 12;

/** Split a fetched subgraph around `anchor` into what to draw now and what to fold.

    `known(id)` says whether a node is already drawn; `keep` holds ids that must show.
    Returns { nodes, edges, folds: [{ type, nodes, edges }] }. */
export function plan(sub, anchor, known, keep) {
  var fresh = new Map();
  sub.nodes.forEach(function (n) { if (!known(n.id)) fresh.set(n.id, n); });
  var links = new Map(); // fresh id -> edges touching it
  sub.edges.forEach(function (e) {
    [e.source, e.target].forEach(function (id) {
      if (fresh.has(id)) { if (!links.has(id)) links.set(id, []); links.get(id).push(e); }
    });
  });
  var byType = new Map();
  fresh.forEach(function (n, id) {
    var touching = links.get(id) || [];
    var leaf = touching.length > 0 && touching.every(function (e) {
      var other = e.source === id ? e.target : e.source;
      return other === anchor && e.type === touching[0].type;
    });
    if (!leaf || (keep && keep.has(id))) return;
    var type = touching[0].type;
    if (!byType.has(type)) byType.set(type, []);
    byType.get(type).push(id);
  });
  var folded = new Map(); // folded id -> its fold
  var folds = [];
  byType.forEach(function (ids, type) {
    if (ids.length <= HUB_LIMIT) return;
    var fold = { type: type, nodes: [], edges: [] };
    ids.forEach(function (id) { folded.set(id, fold); fold.nodes.push(fresh.get(id)); });
    folds.push(fold);
  });
  var edges = [];
  sub.edges.forEach(function (e) {
    var hidden = folded.has(e.source) ? e.source : folded.has(e.target) ? e.target : null;
    if (hidden === null) { edges.push(e); return; }
    folded.get(hidden).edges.push(e);
  });
  var nodes = [];
  fresh.forEach(function (n, id) { if (!folded.has(id)) nodes.push(n); });
  return { nodes: nodes, edges: edges, folds: folds };
}

/** The label of a counted node. */
export function hubLabel(count, type) {
  return "+" + count + " " + type + (count === 1 ? " link" : " links");
}
