/* How the chart looks: one colour per schema and per link type (stable: hashed from
   the name), and the Cytoscape stylesheet. Labels are drawn on the canvas, so names
   from the data are never parsed as HTML. */

var PALETTE = [
  "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
  "#17becf", "#bcbd22", "#ff7f0e", "#393b79", "#637939", "#843c39"
];

/** A stable colour for a name (a schema or a link type). */
export function colour(name) {
  var h = 2166136261;
  var text = String(name || "");
  for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); }
  return PALETTE[(h >>> 0) % PALETTE.length];
}

/** The stylesheet; `big` drops edge labels until zoomed in, to keep frames short. */
export function stylesheet(big) {
  return [
    { selector: "node", style: {
      "background-color": "data(color)", "label": "data(label)", "font-size": 10,
      "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis",
      "text-max-width": 140, "width": 14, "height": 14, "min-zoomed-font-size": big ? 9 : 7,
      "text-background-color": "#fff", "text-background-opacity": big ? 0 : 0.7,
      "text-background-padding": 1
    } },
    { selector: "node.start", style: { "border-width": 3, "border-color": "#000", "width": 20, "height": 20 } },
    { selector: "node.hub", style: {
      "shape": "round-rectangle", "background-color": "#eee", "border-width": 1,
      "border-color": "data(color)", "border-style": "dashed", "width": 120,
      "height": 22, "text-max-width": 116, "text-valign": "center", "text-margin-y": 0, "font-weight": "bold"
    } },
    { selector: "node.pinned", style: { "border-width": 3, "border-color": "#e90", "shape": "diamond" } },
    { selector: "node.noted", style: { "border-style": "double", "border-width": 4, "border-color": "#555" } },
    { selector: "node:selected", style: { "overlay-color": "#e90", "overlay-opacity": 0.3, "overlay-padding": 5 } },
    { selector: ":parent", style: {
      "background-color": "#f6f6f6", "background-opacity": 0.6, "border-color": "#999",
      "border-width": 1, "label": "data(label)", "text-valign": "top", "font-size": 11,
      "shape": "round-rectangle", "padding": 12
    } },
    { selector: "edge", style: {
      "line-color": "data(color)", "width": 1.5, "curve-style": big ? "haystack" : "bezier",
      "target-arrow-shape": big ? "none" : "triangle", "target-arrow-color": "data(color)",
      "arrow-scale": 0.7, "label": big ? "" : "data(label)", "font-size": 8,
      "text-rotation": "autorotate", "color": "#444", "min-zoomed-font-size": 8,
      "text-background-color": "#fff", "text-background-opacity": 0.8
    } },
    { selector: "edge.derived", style: { "line-style": "dashed" } },
    { selector: "edge.hub-link", style: { "line-style": "dotted", "label": "" } },
    { selector: ".hidden, .out-of-time, .type-off", style: { "display": "none" } },
    { selector: ".faded", style: { "opacity": 0.25 } },
    { selector: "node.on-path", style: { "border-width": 4, "border-color": "#e90", "opacity": 1 } },
    { selector: "edge.on-path", style: {
      "width": 4, "line-color": "#e90", "target-arrow-color": "#e90", "opacity": 1,
      "z-index": 10, "label": "data(label)"
    } }
  ];
}
