/* The panel beside the chart: what the selected node is, links to its page and to
   paths from the start, pin and hide, and a note kept with the chart. A folded hub
   says what it holds and opens on request. Text is set with textContent. */

function button(text, action) {
  var b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.addEventListener("click", action);
  return b;
}

function link(text, href) {
  var a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  return a;
}

function paragraph(text, className) {
  var p = document.createElement("p");
  if (className) p.className = className;
  p.textContent = text;
  return p;
}

/** `actions`: { start, fold(id), openHub(id), pin(node), hide(node), noted(node) }. */
export function detailsPanel(panel, actions) {
  var current = null, noteBox = null;
  function show(node) {
    // Shown again for the same node (its links changed): keep a note being typed.
    var typed = noteBox && node && current === node.id() ? noteBox.value : null;
    current = node && node.nonempty() ? node.id() : null;
    noteBox = null;
    panel.replaceChildren();
    if (!node || node.empty()) { panel.append(paragraph("Select a node.")); return; }
    var head = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = node.data("caption");
    head.appendChild(strong);
    var datasets = node.data("datasets") || [];
    panel.append(head, paragraph(
      node.data("schema") + (datasets.length ? " · " + datasets.join(", ") : "") +
      " · " + node.connectedEdges().length + " links shown", "meta"));
    if (node.hasClass("hub")) {
      var fold = actions.fold(node.id());
      panel.append(
        paragraph(fold.edges.length + " " + fold.type + " links to " + fold.nodes.length + " entities, folded."),
        button("Show all " + fold.nodes.length, function () { actions.openHub(node.id()); })
      );
      return;
    }
    var links = document.createElement("ul");
    links.className = "panel-links";
    var items = [link("Open entity page", "/entities/" + encodeURIComponent(node.id()))];
    if (node.id() !== actions.start) {
      items.push(link("Find paths from the start to here", "/graph?entity_id=" +
        encodeURIComponent(actions.start) + "&target=" + encodeURIComponent(node.id())));
      items.push(link("Start the graph here", "/graph?entity_id=" + encodeURIComponent(node.id())));
    }
    items.forEach(function (a) { var li = document.createElement("li"); li.appendChild(a); links.appendChild(li); });
    var row = document.createElement("p");
    row.className = "actions";
    row.append(
      button(node.hasClass("pinned") ? "Unpin" : "Pin", function () { actions.pin(node); show(node); }),
      " ",
      button("Hide", function () { actions.hide(node); show(null); })
    );
    var label = document.createElement("label");
    label.textContent = "Note on this node";
    label.htmlFor = "node-note";
    var note = document.createElement("textarea");
    note.id = "node-note";
    note.rows = 2;
    note.value = typed !== null ? typed : node.data("note") || "";
    noteBox = note;
    panel.append(links, row, label, note, button("Keep note", function () {
      node.data("note", note.value.trim());
      node.toggleClass("noted", Boolean(note.value.trim()));
      actions.noted(node);
    }));
  }
  return { show: show };
}
