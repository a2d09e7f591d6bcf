"""Wire models of link analysis: nodes, edges, neighbourhoods and paths."""

from __future__ import annotations

from pydantic import Field

from threadline.api.schemas.wire import Wire
from threadline.graph.results import GraphEdge, GraphNode, PathResult, RankedPath, Subgraph


class Node(Wire):
    """An entity in a graph result."""

    id: str
    schema_: str = Field(alias="schema")
    caption: str
    datasets: list[str]

    @classmethod
    def of(cls, node: GraphNode) -> Node:
        return cls(id=node.id, schema=node.schema, caption=node.caption, datasets=node.datasets)


class Edge(Wire):
    """A link: an edge entity, an entity reference or a derived link."""

    id: str
    type: str
    source: str
    target: str
    start: str | None
    end: str | None
    strength: float
    derived: bool
    datasets: list[str]
    # What the link says: "Payment 9,900.00 EUR, Sokolov → Bürgerbund, 2020-08-14".
    caption: str = ""

    @classmethod
    def of(cls, edge: GraphEdge) -> Edge:
        return cls.model_validate(edge, from_attributes=True)


class SubgraphOut(Wire):
    """Nodes and edges; `depth` is each node's distance in hops from the start."""

    nodes: list[Node]
    edges: list[Edge]
    depth: dict[str, int]
    groups: list[list[str]]
    truncated: bool

    @classmethod
    def of(cls, graph: Subgraph) -> SubgraphOut:
        return cls(
            nodes=[Node.of(n) for n in graph.nodes],
            edges=[Edge.of(e) for e in graph.edges],
            depth=graph.depth,
            groups=graph.groups,
            truncated=graph.truncated,
        )


class PathOut(Wire):
    """One path, its rank and why (cost = hops + weakness + age)."""

    rank: int
    node_ids: list[str]
    edge_ids: list[str]
    nodes: list[Node]
    edges: list[Edge]
    hops: int
    weakness: float
    age: float
    cost: float
    newest: str | None
    explanation: str

    @classmethod
    def of(cls, path: RankedPath) -> PathOut:
        return cls(
            rank=path.rank,
            node_ids=path.node_ids,
            edge_ids=path.edge_ids,
            nodes=[Node.of(n) for n in path.nodes],
            edges=[Edge.of(e) for e in path.edges],
            hops=path.hops,
            weakness=path.weakness,
            age=path.age,
            cost=path.cost,
            newest=path.newest,
            explanation=path.explanation,
        )


class PathsOut(Wire):
    """The best paths between two entities, cheapest first."""

    source: str
    target: str
    paths: list[PathOut]
    truncated: bool

    @classmethod
    def of(cls, result: PathResult) -> PathsOut:
        paths = [PathOut.of(p) for p in result.paths]
        return cls(
            source=result.source, target=result.target, paths=paths, truncated=result.truncated
        )
