"""What graph queries return: plain dataclasses with ids, captions and explanations.

Every result carries the id of every node and edge it mentions, so the JSON output can
be followed up with `threadline entity ID` (an edge's id is its edge entity's id, or
`source<property>target` for a reference, or `derived:kind:a<>b`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class GraphNode:
    """An entity in a result, described from the datasets the caller may read."""

    id: str
    schema: str
    caption: str
    datasets: list[str]


@dataclass(frozen=True)
class GraphEdge:
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
    # What the link says: "Payment 9,900.00 EUR, Sokolov → Bürgerbund, 2020-08-14" (see
    # `threadline.model.caption`); empty where edges are streamed for an export.
    caption: str = ""


@dataclass
class Subgraph:
    """Nodes and edges, as neighbours or connect return them."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]
    depth: dict[str, int] = field(default_factory=dict)
    groups: list[list[str]] = field(default_factory=list)
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return asdict(self)


@dataclass
class RankedPath:
    """One path, its place in the ranking and why (cost = hops + weakness + age)."""

    rank: int
    node_ids: list[str]
    edge_ids: list[str]
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    hops: int
    weakness: float
    age: float
    cost: float
    newest: str | None
    explanation: str


@dataclass
class PathResult:
    """The best paths from one entity to another, cheapest first."""

    source: str
    target: str
    paths: list[RankedPath]
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return asdict(self)


@dataclass(frozen=True)
class Hub:
    """A node of the set with its degree and betweenness inside the set."""

    node: GraphNode
    degree: int
    betweenness: float | None


@dataclass
class HubRanking:
    """The most central nodes of a set, and how centrality was measured."""

    hubs: list[Hub]
    nodes: int
    edges: int
    betweenness: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return asdict(self)


@dataclass(frozen=True)
class GraphStats:
    """The size of the adjacency view and what it was built from."""

    nodes: int
    edges: int
    types: dict[str, int]
    datasets: list[str]
    skipped_groups: int  # shared keys too common to link (see `derived`)
    statements: int  # scanned to build it
    seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return asdict(self)
