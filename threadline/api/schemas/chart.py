"""Wire models of charts saved into a case: entities as drawn, their links, a note."""

from __future__ import annotations

from pydantic import Field

from threadline.api.schemas.wire import Wire
from threadline.cases.chart import MAX_EDGES, MAX_NODES, MAX_NOTE, Chart, ChartEdge, ChartNode


class ChartNodeWire(Wire):
    """An entity as drawn: position, colour (#rrggbb), pinned, hidden, group, note."""

    entity_id: str = Field(min_length=1, max_length=200)
    caption: str = Field(default="", max_length=500)
    schema_: str = Field(default="", alias="schema", max_length=64)
    x: float
    y: float
    color: str = Field(default="#6d7f91", pattern=r"^#[0-9a-fA-F]{6}$")
    pinned: bool = False
    hidden: bool = False
    group: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=MAX_NOTE)

    def chart_node(self) -> ChartNode:
        return ChartNode(
            entity_id=self.entity_id,
            caption=self.caption or self.entity_id,
            schema=self.schema_,
            x=self.x,
            y=self.y,
            color=self.color,
            pinned=self.pinned,
            hidden=self.hidden,
            group=self.group,
            note=self.note,
        )

    @classmethod
    def of(cls, node: ChartNode) -> ChartNodeWire:
        return cls(
            entity_id=node.entity_id,
            caption=node.caption,
            schema=node.schema,
            x=node.x,
            y=node.y,
            color=node.color,
            pinned=node.pinned,
            hidden=node.hidden,
            group=node.group,
            note=node.note,
        )


class ChartEdgeWire(Wire):
    """A drawn link between two entities of the chart."""

    source: str = Field(min_length=1, max_length=200)
    target: str = Field(min_length=1, max_length=200)
    type: str = Field(min_length=1, max_length=64)
    edge_id: str = Field(default="", max_length=200)

    def chart_edge(self) -> ChartEdge:
        return ChartEdge(self.source, self.target, self.type, self.edge_id)


class ChartIn(Wire):
    """A chart to save into a case."""

    title: str = Field(min_length=1, max_length=200)
    note: str = Field(default="", max_length=MAX_NOTE)
    nodes: list[ChartNodeWire] = Field(min_length=1, max_length=MAX_NODES)
    edges: list[ChartEdgeWire] = Field(default_factory=list, max_length=MAX_EDGES)


class ChartOut(Wire):
    """A saved chart."""

    id: str
    case_id: str
    title: str
    note: str
    created_by: str
    created_at: str
    nodes: list[ChartNodeWire]
    edges: list[ChartEdgeWire]

    @classmethod
    def of(cls, chart: Chart) -> ChartOut:
        return cls(
            id=chart.id,
            case_id=chart.case_id,
            title=chart.title,
            note=chart.note,
            created_by=chart.created_by,
            created_at=chart.created_at,
            nodes=[ChartNodeWire.of(n) for n in chart.nodes],
            edges=[
                ChartEdgeWire(source=e.source, target=e.target, type=e.type, edge_id=e.edge_id)
                for e in chart.edges
            ],
        )
