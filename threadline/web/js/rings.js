/* Rings: a layout for charts too big for a force layout to finish quickly. Each node
   sits on the ring of its distance (in links) from the start, next to its parent's
   angle, so a hub's neighbours stay together; rings grow to give every node about
   RING_GAP pixels. O(nodes + links): thousands of nodes in a few milliseconds. */

var RING_GAP = 26;
var RING_STEP = 220;

/** Place `cy`'s nodes in rings around `startId` (nodes it cannot reach go outermost). */
export function rings(cy, startId) {
  var start = cy.getElementById(startId);
  var depth = new Map(), parent = new Map(), levels = [];
  var queue = start.nonempty() ? [start] : [];
  if (start.nonempty()) { depth.set(startId, 0); levels.push([start]); }
  for (var head = 0; head < queue.length; head++) {
    var node = queue[head];
    var d = depth.get(node.id());
    node.neighborhood("node").forEach(function (next) {
      if (depth.has(next.id()) || next.isParent()) return;
      depth.set(next.id(), d + 1);
      parent.set(next.id(), node.id());
      if (!levels[d + 1]) levels[d + 1] = [];
      levels[d + 1].push(next);
      queue.push(next);
    });
  }
  var strays = cy.nodes().filter(function (n) { return !depth.has(n.id()) && !n.isParent(); });
  if (strays.length) levels.push(strays.toArray());
  var angle = new Map([[startId, 0]]);
  var where = new Map([[startId, { x: 0, y: 0 }]]);
  levels.forEach(function (level, d) {
    if (d === 0 && start.nonempty()) return;
    level.sort(function (a, b) {
      return (angle.get(parent.get(a.id())) || 0) - (angle.get(parent.get(b.id())) || 0);
    });
    var radius = Math.max(d * RING_STEP, (level.length * RING_GAP) / (2 * Math.PI));
    level.forEach(function (n, i) {
      var a = (2 * Math.PI * i) / level.length;
      angle.set(n.id(), a);
      where.set(n.id(), { x: radius * Math.cos(a), y: radius * Math.sin(a) });
    });
  });
  cy.batch(function () {
    cy.nodes().forEach(function (n) { if (where.has(n.id()) && !n.locked()) n.position(where.get(n.id())); });
  });
}
