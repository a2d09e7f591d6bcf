/* The found paths, highlighted one at a time: "Path 2 of 5" with previous and next
   buttons; everything off the path fades. */

export function pathStepper(box, cy, paths, edgeId, onChange) {
  var index = 0;
  var label = box.querySelector("#path-label");
  var prev = box.querySelector("#path-prev");
  var next = box.querySelector("#path-next");
  function show() {
    var path = paths[index];
    cy.batch(function () {
      cy.elements().removeClass("on-path").addClass("faded");
      path.node_ids.forEach(function (id) { cy.getElementById(id).addClass("on-path").removeClass("faded"); });
      path.edge_ids.forEach(function (id) { cy.getElementById(edgeId(id)).addClass("on-path").removeClass("faded"); });
    });
    label.textContent = "Path " + (index + 1) + " of " + paths.length + ": " + path.explanation;
    box.setAttribute("data-path", String(index + 1));
    // The list below the chart marks the path in view.
    document.querySelectorAll("ol.paths > li").forEach(function (li, i) {
      li.classList.toggle("current", i === index);
      if (i === index) li.setAttribute("aria-current", "true"); else li.removeAttribute("aria-current");
    });
    prev.disabled = paths.length < 2;
    next.disabled = paths.length < 2;
    if (onChange) onChange();
  }
  function step(by) { index = (index + by + paths.length) % paths.length; show(); }
  prev.addEventListener("click", function () { step(-1); });
  next.addEventListener("click", function () { step(1); });
  if (paths.length) { box.hidden = false; show(); }
  return { step: step, current: function () { return paths[index]; } };
}
