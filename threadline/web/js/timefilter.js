/* The time filter: two sliders (from, to) over the years the drawn links hold. A link
   with dates outside the window is hidden; a link without dates always shows. */

function year(value) {
  if (!value) return null;
  var y = parseInt(String(value).slice(0, 4), 10);
  return isNaN(y) ? null : y;
}

/** Whether a link (with `start`, `end` dates) holds at some time in [from, to]. */
export function holds(start, end, from, to) {
  var s = year(start), e = year(end);
  if (s !== null && s > to) return false;
  if (e !== null && e < from) return false;
  return true;
}

/** Wire the sliders in `box` to the chart: `apply()` re-reads the link dates. */
export function timeFilter(box, cy, onChange) {
  var from = box.querySelector("#time-from");
  var to = box.querySelector("#time-to");
  var shown = box.querySelector("#time-shown");
  function bounds() {
    var years = [];
    cy.edges().forEach(function (e) {
      var s = year(e.data("start")), t = year(e.data("end"));
      if (s !== null) years.push(s);
      if (t !== null) years.push(t);
    });
    return years.length ? [Math.min.apply(null, years), Math.max.apply(null, years)] : null;
  }
  function filter() {
    var lo = Number(from.value), hi = Number(to.value);
    if (lo > hi) { var swap = lo; lo = hi; hi = swap; }
    shown.textContent = lo + " – " + hi;
    cy.batch(function () {
      cy.edges().forEach(function (e) {
        e.toggleClass("out-of-time", !holds(e.data("start"), e.data("end"), lo, hi));
      });
    });
    box.setAttribute("data-window", lo + ".." + hi);
    if (onChange) onChange();
  }
  var moved = false; // until the user moves a slider, the window is every year in view
  function apply() {
    var range = bounds();
    if (!range) {
      from.disabled = to.disabled = true;
      shown.textContent = "no dated links in view";
      cy.edges(".out-of-time").removeClass("out-of-time");
      return;
    }
    from.disabled = to.disabled = false;
    [from, to].forEach(function (input) { input.min = String(range[0]); input.max = String(range[1]); });
    if (!moved) { from.value = String(range[0]); to.value = String(range[1]); }
    filter();
  }
  function slide() { moved = true; filter(); }
  from.addEventListener("input", slide);
  to.addEventListener("input", slide);
  return { apply: apply };
}
