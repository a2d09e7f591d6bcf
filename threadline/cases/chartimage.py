"""A saved chart as the evidence bundle shows it: an SVG image drawn here from the saved
positions (no browser needed), and its node list with the datasets of each entity.

Every text from the data is XML-escaped, so a name is drawn as text, never markup.
Hidden nodes (and their links) are left out of the image but stay in the node list.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

from threadline.cases.chart import Chart, ChartNode

WIDTH = 960.0
MARGIN = 40.0
RADIUS = 7.0
LABEL = 28  # characters of a caption drawn on the image; the list has them whole


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _short(text: str) -> str:
    return text if len(text) <= LABEL else text[: LABEL - 1] + "…"


def _frame(nodes: list[ChartNode]) -> Callable[[float, float], tuple[float, float]]:
    """Maps chart coordinates onto the image."""
    xs, ys = [n.x for n in nodes], [n.y for n in nodes]
    low_x, low_y = min(xs), min(ys)
    span = max(max(xs) - low_x, max(ys) - low_y, 1.0)
    scale = min(1.0, (WIDTH - 2 * MARGIN) / span) if span > 0 else 1.0

    def at(x: float, y: float) -> tuple[float, float]:
        return MARGIN + (x - low_x) * scale, MARGIN + (y - low_y) * scale

    return at


def chart_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document."""
    shown = [n for n in chart.nodes if not n.hidden] or list(chart.nodes)
    at = _frame(shown)
    where = {n.entity_id: at(n.x, n.y) for n in shown}
    right = max(x for x, _ in where.values()) + MARGIN + 160
    bottom = max(y for _, y in where.values()) + MARGIN
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{right:.0f}" height="{bottom:.0f}" '
        f'viewBox="0 0 {right:.0f} {bottom:.0f}" font-family="sans-serif" font-size="11">',
        f"<title>{_e(chart.title)}</title>",
        f'<rect width="{right:.0f}" height="{bottom:.0f}" fill="#ffffff"/>',
    ]
    groups: dict[str, list[tuple[float, float]]] = {}
    for n in shown:
        if n.group:
            groups.setdefault(n.group, []).append(where[n.entity_id])
    for name, points in sorted(groups.items()):
        x0, y0 = min(p[0] for p in points) - 14, min(p[1] for p in points) - 18
        x1, y1 = max(p[0] for p in points) + 14, max(p[1] for p in points) + 20
        out.append(
            f'<g class="group"><rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
            f'height="{y1 - y0:.1f}" rx="6" fill="#f3f3f3" stroke="#999"/>'
            f'<text x="{x0 + 4:.1f}" y="{y0 - 3:.1f}" fill="#555">{_e(name)}</text></g>'
        )
    for edge in chart.edges:
        if edge.source not in where or edge.target not in where:
            continue
        (x1, y1), (x2, y2) = where[edge.source], where[edge.target]
        out.append(
            f'<g class="edge"><line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="#9aa7b3" stroke-width="1.2"/><text x="{(x1 + x2) / 2:.1f}" '
            f'y="{(y1 + y2) / 2 - 2:.1f}" font-size="8" fill="#555" text-anchor="middle">'
            f"{_e(edge.type)}</text></g>"
        )
    for n in shown:
        x, y = where[n.entity_id]
        ring = ' stroke="#e90" stroke-width="3"' if n.pinned else ' stroke="#fff"'
        note = f" — {n.note}" if n.note else ""
        out.append(
            f'<g class="node"><title>{_e(n.caption)} ({_e(n.schema)}){_e(note)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{RADIUS}" fill="{_e(n.color)}"{ring}/>'
            f'<text x="{x + RADIUS + 3:.1f}" y="{y + 4:.1f}">{_e(_short(n.caption))}'
            f"{' ✎' if n.note else ''}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(out)


def chart_json(chart: Chart, datasets: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """The chart as the bundle lists it: header, image, and each node with its datasets
    (the sources it was drawn from, within the exporter's reach)."""
    return {
        "id": chart.id,
        "title": chart.title,
        "note": chart.note,
        "created_by": chart.created_by,
        "created_at": chart.created_at,
        "svg": chart_svg(chart),
        "nodes": [
            {
                "entity_id": n.entity_id,
                "caption": n.caption,
                "schema": n.schema,
                "x": n.x,
                "y": n.y,
                "hidden": n.hidden,
                "pinned": n.pinned,
                "group": n.group,
                "note": n.note,
                "datasets": sorted(datasets.get(n.entity_id, ())),
            }
            for n in chart.nodes
        ],
        "edges": [
            {"source": e.source, "target": e.target, "type": e.type, "edge_id": e.edge_id}
            for e in chart.edges
        ],
    }


def svg_data(svg: str) -> str:
    """An SVG image as a data URI: shown by an <img>, where no script of it can run."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def chart_html(item: Mapping[str, Any]) -> str:
    """One bundled chart (`chart_json`) as an HTML section: the image as a data URI (the
    report's sandbox allows only those) and the table of its nodes and sources."""
    rows = "".join(
        f"<tr><td>{_e(n['caption'])}</td><td>{_e(n['schema'])}</td>"
        f"<td><code>{_e(n['entity_id'])}</code></td><td>{_e(', '.join(n['datasets']) or '—')}</td>"
        f"<td>{_e(n['note'])}</td></tr>"
        for n in item["nodes"]
    )
    note = f'<p class="text">{_e(item["note"])}</p>' if item["note"] else ""
    return (
        f'<section class="chart" id="chart-{_e(item["id"])}"><h3>{_e(item["title"])}</h3>'
        f'<p class="meta">{_e(item["created_by"])}, {_e(item["created_at"])}</p>{note}'
        f'<img style="max-width:100%" alt="Chart: {_e(item["title"])}" src="{svg_data(item["svg"])}">'
        "<table><tr><th>entity</th><th>schema</th><th>id</th><th>datasets</th><th>note</th></tr>"
        f"{rows}</table></section>"
    )
