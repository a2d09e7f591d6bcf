/* The graph explorer: draws the neighbourhood the page carries as JSON, expands a node
   on click (or Enter) from the JSON API (GET /api/v1/graph/neighbours), filters links
   by type, and highlights found paths.

   Layout: a small force simulation (repulsion between all nodes, springs along links,
   a pull to the centre), run for a capped number of steps so a few hundred nodes lay
   out in well under a second; nodes already placed move less when more are added, so
   the picture stays recognisable. Large graphs label only their hubs. Our own code;
   every text from the data is set with textContent. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var MAX_NODES = 400;
  var LABEL_ALL = 60; // below this many nodes every node is labelled
  var HUB_LABELS = 20; // above it, only this many best-connected nodes are

  var svg = document.getElementById("graph");
  var dataEl = document.getElementById("graph-data");
  if (!svg || !dataEl) return;
  var data = JSON.parse(dataEl.textContent);
  var status = document.getElementById("graph-status");
  var panel = document.getElementById("panel-body");
  var typeBoxes = document.getElementById("type-boxes");
  var chosenTypes = data.types || [];

  var nodes = new Map();
  var edges = new Map();
  var hidden = new Set();
  var pathNodes = new Set();
  var pathEdges = new Set();
  var selected = null;
  var startId = data.start;
  var view = { x: -400, y: -300, w: 800, h: 600 };
  var moved = false; // the user panned or zoomed: stop fitting the view for them
  var edgeLayer = make("g", { "class": "edges" });
  var nodeLayer = make("g", { "class": "nodes" });
  svg.appendChild(edgeLayer);
  svg.appendChild(nodeLayer);

  function make(tag, attrs) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  // A stable pseudo-random number per id, so the same data lays out the same way.
  function jitter(id, salt) {
    var h = 2166136261 ^ salt;
    for (var i = 0; i < id.length; i++) { h ^= id.charCodeAt(i); h = Math.imul(h, 16777619); }
    return ((h >>> 0) % 1000) / 1000 - 0.5;
  }

  function say(text) { if (status) status.textContent = text; }

  function addNode(n, near) {
    if (nodes.has(n.id)) return false;
    if (nodes.size >= MAX_NODES) return false;
    var base = near ? nodes.get(near) : null;
    var spread = base ? 60 : 300;
    nodes.set(n.id, {
      id: n.id, caption: n.caption || n.id, schema: n.schema, datasets: n.datasets || [],
      x: (base ? base.x : 0) + spread * jitter(n.id, 1), y: (base ? base.y : 0) + spread * jitter(n.id, 2),
      vx: 0, vy: 0, degree: 0, fresh: true, expanded: false, el: null
    });
    return true;
  }

  function addEdge(e) {
    if (edges.has(e.id) || !nodes.has(e.source) || !nodes.has(e.target) || e.source === e.target) return;
    edges.set(e.id, { id: e.id, type: e.type, source: e.source, target: e.target, derived: e.derived, el: null });
    nodes.get(e.source).degree++;
    nodes.get(e.target).degree++;
    ensureTypeBox(e.type);
  }

  function ensureTypeBox(type) {
    if (!typeBoxes) return;
    var boxes = typeBoxes.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) if (boxes[i].value === type) return;
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = "types"; box.value = type;
    box.checked = chosenTypes.length === 0 || chosenTypes.indexOf(type) >= 0;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + type));
    typeBoxes.appendChild(label);
    if (!box.checked) hidden.add(type);
  }

  function merge(sub, around) {
    var added = 0;
    sub.nodes.forEach(function (n) { if (addNode(n, around)) added++; });
    sub.edges.forEach(addEdge);
    return added;
  }

  // Force layout, capped: fewer steps for bigger graphs, old nodes damped.
  function layout(steps) {
    var list = Array.from(nodes.values());
    var n = list.length;
    if (!n) return;
    var k = Math.max(35, Math.min(90, Math.sqrt(480000 / n)));
    var iterations = Math.min(steps, Math.max(40, Math.floor(60000 / n)));
    var temperature = k * 2;
    var links = Array.from(edges.values());
    for (var it = 0; it < iterations; it++) {
      var i, j, a, b, dx, dy, d2, d, f;
      for (i = 0; i < n; i++) { list[i].vx = 0; list[i].vy = 0; }
      for (i = 0; i < n; i++) {
        a = list[i];
        for (j = i + 1; j < n; j++) {
          b = list[j];
          dx = a.x - b.x; dy = a.y - b.y;
          d2 = dx * dx + dy * dy + 0.01;
          if (d2 > 90000) continue; // beyond 300px repulsion is negligible
          f = (k * k) / d2;
          a.vx += dx * f; a.vy += dy * f;
          b.vx -= dx * f; b.vy -= dy * f;
        }
      }
      links.forEach(function (e) {
        var s = nodes.get(e.source), t = nodes.get(e.target);
        var ex = t.x - s.x, ey = t.y - s.y;
        var dist = Math.sqrt(ex * ex + ey * ey) + 0.01;
        var pull = dist / k;
        s.vx += ex * pull; s.vy += ey * pull;
        t.vx -= ex * pull; t.vy -= ey * pull;
      });
      for (i = 0; i < n; i++) {
        a = list[i];
        a.vx -= a.x * 0.02; a.vy -= a.y * 0.02;
        d = Math.sqrt(a.vx * a.vx + a.vy * a.vy) + 0.01;
        var mobility = a.fresh ? 1 : 0.25;
        var step = Math.min(d, temperature) * mobility;
        a.x += (a.vx / d) * step; a.y += (a.vy / d) * step;
      }
      temperature *= 0.96;
    }
    list.forEach(function (node) { node.fresh = false; });
  }

  function labelled() {
    var show = new Set([startId, selected]);
    pathNodes.forEach(function (id) { show.add(id); });
    if (nodes.size <= LABEL_ALL) { nodes.forEach(function (n) { show.add(n.id); }); return show; }
    Array.from(nodes.values())
      .sort(function (a, b) { return b.degree - a.degree; })
      .slice(0, HUB_LABELS)
      .filter(function (n) { return n.degree >= 3; })
      .forEach(function (n) { show.add(n.id); });
    return show;
  }

  function shortText(text) { return text.length > 28 ? text.slice(0, 27) + "…" : text; }

  function draw() {
    var show = labelled();
    var visible = new Set([startId]);
    edges.forEach(function (e) {
      if (!e.el) {
        e.el = make("line", { "class": "edge" + (e.derived ? " derived" : "") });
        var title = make("title");
        title.textContent = e.type;
        e.el.appendChild(title);
        edgeLayer.appendChild(e.el);
      }
      var off = hidden.has(e.type);
      e.el.style.display = off ? "none" : "";
      e.el.classList.toggle("on-path", pathEdges.has(e.id));
      if (!off) { visible.add(e.source); visible.add(e.target); }
      var s = nodes.get(e.source), t = nodes.get(e.target);
      e.el.setAttribute("x1", s.x.toFixed(1)); e.el.setAttribute("y1", s.y.toFixed(1));
      e.el.setAttribute("x2", t.x.toFixed(1)); e.el.setAttribute("y2", t.y.toFixed(1));
    });
    nodes.forEach(function (n) {
      if (!n.el) n.el = buildNode(n);
      n.el.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")");
      n.el.style.display = visible.has(n.id) || n.degree === 0 ? "" : "none";
      n.el.classList.toggle("selected", n.id === selected);
      n.el.classList.toggle("start", n.id === startId);
      n.el.classList.toggle("expanded", n.expanded);
      n.el.classList.toggle("on-path", pathNodes.has(n.id));
      n.el.querySelector("text").style.display = show.has(n.id) ? "" : "none";
      n.el.querySelector("circle").setAttribute("r", String(Math.min(14, 5 + Math.sqrt(n.degree) * 2)));
    });
    say(nodes.size + " entities, " + edges.size + " links" +
      (nodes.size >= MAX_NODES ? " (limit reached: open a node's own graph to go further)" : ""));
  }

  function buildNode(n) {
    var g = make("g", { "class": "node schema-" + String(n.schema).replace(/[^A-Za-z]/g, ""), tabindex: "0", role: "button" });
    g.setAttribute("aria-label", n.caption + " (" + n.schema + "): select and expand");
    g.setAttribute("data-id", n.id);
    var title = make("title");
    title.textContent = n.caption + " — " + n.schema;
    g.appendChild(title);
    g.appendChild(make("circle", { r: "6" }));
    var text = make("text", { x: "10", y: "4" });
    text.textContent = shortText(n.caption);
    g.appendChild(text);
    g.addEventListener("click", function (event) { event.stopPropagation(); choose(n.id, true); });
    g.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(n.id, true); }
    });
    nodeLayer.appendChild(g);
    return g;
  }

  function showPanel(n) {
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    var h = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = n.caption;
    h.appendChild(strong);
    panel.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = n.schema + " · " + n.datasets.join(", ") + " · " + n.degree + " links shown";
    panel.appendChild(meta);
    var open = document.createElement("a");
    open.href = "/entities/" + encodeURIComponent(n.id);
    open.textContent = "Open entity page";
    panel.appendChild(open);
    if (n.id !== startId) {
      panel.appendChild(document.createElement("br"));
      var paths = document.createElement("a");
      paths.href = "/graph?entity_id=" + encodeURIComponent(startId) + "&target=" + encodeURIComponent(n.id);
      paths.textContent = "Find paths from the start to here";
      panel.appendChild(paths);
      panel.appendChild(document.createElement("br"));
      var recentre = document.createElement("a");
      recentre.href = "/graph?entity_id=" + encodeURIComponent(n.id);
      recentre.textContent = "Start the graph here";
      panel.appendChild(recentre);
    }
  }

  function choose(id, expand) {
    selected = id;
    var n = nodes.get(id);
    showPanel(n);
    draw();
    if (expand && !n.expanded) expandNode(n);
  }

  function typeQuery() {
    if (!chosenTypes.length) return "";
    return chosenTypes.map(function (t) { return "&types=" + encodeURIComponent(t); }).join("");
  }

  function expandNode(n) {
    say("Expanding " + n.caption + "…");
    svg.setAttribute("aria-busy", "true");
    fetch("/api/v1/graph/neighbours?limit=100&entity_id=" + encodeURIComponent(n.id) + typeQuery(), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(typeof body.detail === "string" ? body.detail : response.statusText);
          }
          return body;
        });
      })
      .then(function (sub) {
        n.expanded = true;
        var added = merge(sub, n.id);
        layout(added ? 150 : 0);
        draw();
        if (!moved) fit();
        if (selected === n.id) showPanel(n);
        say("Expanded " + n.caption + ": " + added + " new entities" + (sub.truncated ? " (more exist)" : "") +
          ". " + nodes.size + " entities, " + edges.size + " links.");
        svg.setAttribute("data-expanded", String(Number(svg.getAttribute("data-expanded") || 0) + 1));
      })
      .catch(function (error) { say("Could not expand: " + error.message); })
      .then(function () { svg.removeAttribute("aria-busy"); });
  }

  // Labels keep their size on screen whatever the zoom (CSS reads --scale).
  function setView() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) { return v.toFixed(1); }).join(" "));
    var box = svg.getBoundingClientRect();
    // The drawing is scaled to fit (preserveAspectRatio meet): the tighter side decides.
    var scale = Math.max(view.w / (box.width || 800), view.h / (box.height || 600));
    svg.style.setProperty("--scale", scale.toFixed(3));
  }

  function fit() {
    if (!nodes.size) return;
    var xs = [], ys = [];
    nodes.forEach(function (n) { xs.push(n.x); ys.push(n.y); });
    var minX = Math.min.apply(null, xs) - 60, maxX = Math.max.apply(null, xs) + 160;
    var minY = Math.min.apply(null, ys) - 40, maxY = Math.max.apply(null, ys) + 40;
    var w = Math.max(600, maxX - minX), h = Math.max(450, maxY - minY);
    var ratio = 4 / 3;
    if (w / h > ratio) h = w / ratio; else w = h * ratio;
    view = { x: (minX + maxX) / 2 - w / 2, y: (minY + maxY) / 2 - h / 2, w: w, h: h };
    setView();
  }

  function zoom(factor) {
    moved = true;
    var cx = view.x + view.w / 2, cy = view.y + view.h / 2;
    view.w *= factor; view.h *= factor;
    view.x = cx - view.w / 2; view.y = cy - view.h / 2;
    setView();
  }

  // Pan by dragging the background; zoom with the wheel or the buttons.
  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.target.closest && event.target.closest(".node")) return;
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var scale = view.w / svg.getBoundingClientRect().width;
    moved = true;
    view.x = drag.vx - (event.clientX - drag.x) * scale;
    view.y = drag.vy - (event.clientY - drag.y) * scale;
    setView();
  });
  svg.addEventListener("pointerup", function () { drag = null; });
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15);
  }, { passive: false });
  var zin = document.getElementById("zoom-in"), zout = document.getElementById("zoom-out");
  var zfit = document.getElementById("zoom-fit");
  if (zin) zin.addEventListener("click", function () { zoom(1 / 1.25); });
  if (zout) zout.addEventListener("click", function () { zoom(1.25); });
  if (zfit) zfit.addEventListener("click", function () { moved = false; fit(); });

  if (typeBoxes) {
    typeBoxes.addEventListener("change", function (event) {
      var box = event.target;
      if (!box || box.type !== "checkbox") return;
      if (box.checked) hidden.delete(box.value); else hidden.add(box.value);
      draw();
    });
    typeBoxes.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (!box.checked) hidden.add(box.value);
    });
  }

  merge(data, null);
  (data.paths || []).forEach(function (path) {
    var previous = null;
    path.nodes.forEach(function (n) { addNode(n, previous || startId); previous = n.id; pathNodes.add(n.id); });
    path.edges.forEach(function (e) { addEdge(e); pathEdges.add(e.id); });
  });
  if (nodes.has(startId)) {
    var first = nodes.get(startId);
    first.x = 0; first.y = 0; first.expanded = true;
  }
  layout(300);
  draw();
  fit();
  if (nodes.has(startId)) showPanel(nodes.get(startId));
  svg.setAttribute("data-ready", "true");
})();
