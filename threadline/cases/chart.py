"""Charts: a graph drawing kept in a case: which entities, where they sat, how they were
styled and annotated, and the links between them.

A chart is a snapshot, like a note: it is never edited, a new one is saved instead.
`new_chart` checks the drawing (sizes, coordinates, colours, links between drawn
nodes) and, given `known_entities`, that the case reaches every entity in it.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from threadline.audit.event import utc_timestamp
from threadline.cases.case import Case, CaseRole
from threadline.cases.citation import KnownIds
from threadline.cases.errors import CaseError
from threadline.cases.scope import require_member

MAX_NODES = 5000
MAX_EDGES = 20000
MAX_TITLE = 200
MAX_NOTE = 4000
MAX_COORDINATE = 1e7
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#6d7f91"


@dataclass(frozen=True, slots=True)
class ChartNode:
    """An entity as drawn: its position, colour, flags, group and note."""

    entity_id: str
    caption: str
    schema: str
    x: float
    y: float
    color: str = DEFAULT_COLOUR
    pinned: bool = False
    hidden: bool = False
    group: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class ChartEdge:
    """A drawn link between two drawn entities."""

    source: str
    target: str
    type: str
    edge_id: str = ""


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart saved into a case, by whom and when."""

    id: str
    case_id: str
    title: str
    created_by: str
    created_at: str
    nodes: tuple[ChartNode, ...]
    edges: tuple[ChartEdge, ...] = ()
    note: str = ""


def _node(node: ChartNode) -> ChartNode:
    where = f"chart node {node.entity_id!r}"
    if not node.entity_id.strip():
        raise CaseError("nodes.entity_id: every chart node needs an entity id")
    for axis, value in (("x", node.x), ("y", node.y)):
        if not math.isfinite(value) or abs(value) > MAX_COORDINATE:
            raise CaseError(f"nodes.{axis}: {where} has no usable position ({value!r})")
    if not COLOUR.match(node.color):
        raise CaseError(f"nodes.color: {where} has colour {node.color!r}, not #rrggbb")
    if len(node.note) > MAX_NOTE:
        raise CaseError(f"nodes.note: {where} has a note over {MAX_NOTE:,} characters")
    return node


def new_chart(
    case: Case,
    author: str,
    title: str,
    nodes: Iterable[ChartNode],
    edges: Iterable[ChartEdge] = (),
    note: str = "",
    known_entities: KnownIds | None = None,
    *,
    now: str | None = None,
    chart_id: str | None = None,
) -> Chart:
    """A chart by an editor or owner of the case, or a `CaseError` naming the field."""
    require_member(case, author, CaseRole.EDITOR)
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise CaseError(f"title: a chart needs a title of 1 to {MAX_TITLE} characters")
    if len(note) > MAX_NOTE:
        raise CaseError(f"note: a chart's note holds at most {MAX_NOTE:,} characters")
    drawn = [_node(n) for n in nodes]
    if not drawn or len(drawn) > MAX_NODES:
        raise CaseError(f"nodes: a chart holds 1 to {MAX_NODES:,} entities")
    ids = [n.entity_id for n in drawn]
    if len(set(ids)) != len(ids):
        raise CaseError("nodes: an entity is drawn twice")
    links = list(edges)
    if len(links) > MAX_EDGES:
        raise CaseError(f"edges: a chart holds at most {MAX_EDGES:,} links")
    stray = sorted({e for link in links for e in (link.source, link.target)} - set(ids))
    if stray:
        raise CaseError(f"edges: links end at entities not in the chart: {', '.join(stray[:5])}")
    if known_entities is not None:
        unknown = sorted(set(ids) - set(known_entities(frozenset(ids))))
        if unknown:
            shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
            raise CaseError(f"nodes: {len(unknown)} entities are unknown to this case: {shown}")
    return Chart(
        id=chart_id or secrets.token_hex(8),
        case_id=case.id,
        title=title,
        created_by=author,
        created_at=now or utc_timestamp(),
        nodes=tuple(drawn),
        edges=tuple(links),
        note=note.strip(),
    )


def chart_body(chart: Chart) -> dict[str, Any]:
    """What a store keeps beside the chart's header: its drawing, as JSON-able data."""
    return {
        "note": chart.note,
        "nodes": [asdict(n) for n in chart.nodes],
        "edges": [asdict(e) for e in chart.edges],
    }


def chart_from(header: Mapping[str, Any], body: Mapping[str, Any]) -> Chart:
    """A chart from its stored header (id, case_id, title, created_by, created_at) and
    body (`chart_body`)."""
    return Chart(
        id=header["id"],
        case_id=header["case_id"],
        title=header["title"],
        created_by=header["created_by"],
        created_at=header["created_at"],
        nodes=tuple(ChartNode(**n) for n in body["nodes"]),
        edges=tuple(ChartEdge(**e) for e in body["edges"]),
        note=body.get("note", ""),
    )


def within(chart: Chart, readable: Iterable[str]) -> Chart:
    """The chart as a reader sees it: only the entities in `readable` (those a reader
    reaches) and the links between them. Another member may reach less than the one
    who saved it."""
    keep = set(readable)
    nodes = tuple(n for n in chart.nodes if n.entity_id in keep)
    edges = tuple(e for e in chart.edges if e.source in keep and e.target in keep)
    return replace(chart, nodes=nodes, edges=edges)


def _field(item: Mapping[str, Any], name: str, kind: type, where: str, default: Any) -> Any:
    value = item.get(name, default)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind):
        raise CaseError(f"{where}.{name}: expected {kind.__name__}, got {value!r}")
    return value


def drawing_from(data: Mapping[str, Any]) -> tuple[list[ChartNode], list[ChartEdge]]:
    """The nodes and edges of a chart given as JSON-able data (as the API takes it);
    a `CaseError` names the field that is wrong."""
    nodes, edges = data.get("nodes"), data.get("edges", [])
    if not isinstance(nodes, list) or not isinstance(edges, list):
        raise CaseError("nodes, edges: a chart's nodes and edges are lists")
    drawn = []
    for i, item in enumerate(nodes):
        at = f"nodes[{i}]"
        if not isinstance(item, Mapping):
            raise CaseError(f"{at}: expected an object")
        entity_id = _field(item, "entity_id", str, at, "")
        drawn.append(
            ChartNode(
                entity_id=entity_id,
                caption=_field(item, "caption", str, at, "") or entity_id,
                schema=_field(item, "schema", str, at, ""),
                x=_field(item, "x", float, at, None),
                y=_field(item, "y", float, at, None),
                color=_field(item, "color", str, at, DEFAULT_COLOUR),
                pinned=_field(item, "pinned", bool, at, False),
                hidden=_field(item, "hidden", bool, at, False),
                group=_field(item, "group", str, at, ""),
                note=_field(item, "note", str, at, ""),
            )
        )
    links = []
    for i, item in enumerate(edges):
        at = f"edges[{i}]"
        if not isinstance(item, Mapping):
            raise CaseError(f"{at}: expected an object")
        links.append(
            ChartEdge(
                source=_field(item, "source", str, at, None),
                target=_field(item, "target", str, at, None),
                type=_field(item, "type", str, at, None),
                edge_id=_field(item, "edge_id", str, at, ""),
            )
        )
    return drawn, links
