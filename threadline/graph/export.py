"""Graph exports, streamed: GEXF (Gephi), GraphML and Cytoscape JSON.

Each writer takes iterators of nodes and edges and yields text as it goes, so an export
of millions of edges never holds them all. Nodes come first in every format, as they
must. Edges are directed from source to target (owner to asset, payer to beneficiary);
parallel edges keep their own ids, so the graphs are multigraphs.

Markings travel with the data: every node and edge carries the `markings` of the
datasets it comes from, as the caller's `markings` function gives them (in XML formats
joined with `;`, as datasets are; a list in Cytoscape JSON).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

import orjson

from threadline.graph.results import GraphEdge, GraphNode

EXPORT_FORMATS = ("gexf", "graphml", "cyjs")
_NODE_ATTRS = ("schema", "datasets", "markings")
_EDGE_ATTRS = ("type", "start", "end", "derived", "datasets", "markings")
Markings = Callable[[Iterable[str]], list[str]]
# XML 1.0 cannot carry most control characters, even escaped; sources sometimes do.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _x(value: object) -> str:
    return quoteattr(str(value).translate(_CONTROL))


def _text(value: object) -> str:
    return escape(str(value).translate(_CONTROL))


def unmarked(datasets: Iterable[str]) -> list[str]:
    """No markings: for a graph whose datasets carry none (tests, the bare service)."""
    return []


def _node_values(node: GraphNode, markings: Markings) -> tuple[str, ...]:
    return (node.schema, ";".join(node.datasets), ";".join(markings(node.datasets)))


def _edge_values(edge: GraphEdge, markings: Markings) -> tuple[str, ...]:
    return (
        edge.type,
        edge.start or "",
        edge.end or "",
        "true" if edge.derived else "false",
        ";".join(edge.datasets),
        ";".join(markings(edge.datasets)),
    )


def gexf(
    nodes: Iterable[GraphNode], edges: Iterable[GraphEdge], markings: Markings = unmarked
) -> Iterator[str]:
    """GEXF 1.2, which Gephi opens; node and edge details are attributes."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
    yield '<graph defaultedgetype="directed" mode="static">\n<attributes class="node">\n'
    for i, name in enumerate(_NODE_ATTRS):
        yield f'<attribute id="{i}" title="{name}" type="string"/>\n'
    yield '</attributes>\n<attributes class="edge">\n'
    for i, name in enumerate(_EDGE_ATTRS):
        kind = "boolean" if name == "derived" else "string"
        yield f'<attribute id="{i}" title="{name}" type="{kind}"/>\n'
    yield "</attributes>\n<nodes>\n"
    for node in nodes:
        values = _node_values(node, markings)
        attrs = "".join(f'<attvalue for="{i}" value={_x(v)}/>' for i, v in enumerate(values))
        yield f"<node id={_x(node.id)} label={_x(node.caption)}><attvalues>{attrs}</attvalues></node>\n"
    yield "</nodes>\n<edges>\n"
    for edge in edges:
        attrs = "".join(
            f'<attvalue for="{i}" value={_x(v)}/>'
            for i, v in enumerate(_edge_values(edge, markings))
        )
        yield (
            f"<edge id={_x(edge.id)} source={_x(edge.source)} target={_x(edge.target)} "
            f'label={_x(edge.type)} weight="{edge.strength}"><attvalues>{attrs}</attvalues></edge>\n'
        )
    yield "</edges>\n</graph>\n</gexf>\n"


def graphml(
    nodes: Iterable[GraphNode], edges: Iterable[GraphEdge], markings: Markings = unmarked
) -> Iterator[str]:
    """GraphML with typed keys for node and edge details."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    for name in ("label", *_NODE_ATTRS):
        yield f'<key id="n_{name}" for="node" attr.name="{name}" attr.type="string"/>\n'
    for name in _EDGE_ATTRS:
        kind = "boolean" if name == "derived" else "string"
        yield f'<key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n'
    yield '<key id="e_weight" for="edge" attr.name="weight" attr.type="double"/>\n'
    yield '<graph id="threadline" edgedefault="directed">\n'
    for node in nodes:
        values = (node.caption, *_node_values(node, markings))
        data = "".join(
            f'<data key="n_{k}">{_text(v)}</data>'
            for k, v in zip(("label", *_NODE_ATTRS), values, strict=True)
        )
        yield f"<node id={_x(node.id)}>{data}</node>\n"
    for edge in edges:
        data = "".join(
            f'<data key="e_{k}">{_text(v)}</data>'
            for k, v in zip(_EDGE_ATTRS, _edge_values(edge, markings), strict=True)
        )
        yield (
            f"<edge id={_x(edge.id)} source={_x(edge.source)} target={_x(edge.target)}>"
            f'{data}<data key="e_weight">{edge.strength}</data></edge>\n'
        )
    yield "</graph>\n</graphml>\n"


def cyjs(
    nodes: Iterable[GraphNode], edges: Iterable[GraphEdge], markings: Markings = unmarked
) -> Iterator[str]:
    """Cytoscape.js JSON (`elements` with `data`), as networkx's cytoscape_graph reads it."""
    yield '{"data":{"name":"threadline"},"directed":true,"multigraph":true,"elements":{"nodes":['
    sep = ""
    for node in nodes:
        about = {"id": node.id, "value": node.id, "name": node.caption, "schema": node.schema}
        marked = {**about, "datasets": node.datasets, "markings": markings(node.datasets)}
        yield sep + orjson.dumps({"data": marked}).decode()
        sep = ",\n"
    yield '],"edges":['
    sep = ""
    for edge in edges:
        data: dict[str, object] = {
            "id": edge.id,
            "key": edge.id,
            "source": edge.source,
            "target": edge.target,
            "type": edge.type,
            "start": edge.start,
            "end": edge.end,
            "weight": edge.strength,
            "derived": edge.derived,
            "datasets": edge.datasets,
            "markings": markings(edge.datasets),
        }
        yield sep + orjson.dumps({"data": data}).decode()
        sep = ",\n"
    yield "]}}\n"


Writer = Callable[[Iterable[GraphNode], Iterable[GraphEdge], Markings], Iterator[str]]
WRITERS: dict[str, Writer] = {"gexf": gexf, "graphml": graphml, "cyjs": cyjs}


def export_graph(
    format: str,
    nodes: Iterable[GraphNode],
    edges: Iterable[GraphEdge],
    markings: Markings = unmarked,
) -> Iterator[str]:
    """The graph in one of `EXPORT_FORMATS`, as a stream of text; `markings` gives
    the markings of a node's or edge's datasets."""
    writer = WRITERS.get(format)
    if writer is None:
        raise ValueError(f"Unknown graph format {format!r}; use one of {', '.join(EXPORT_FORMATS)}")
    return writer(nodes, edges, markings)
