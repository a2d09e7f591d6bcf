"""Turning node and edge positions into result objects, with captions from the store.

A caption is assembled only from statements of datasets the caller may read, so a
result never shows a name from a collection outside the query's datasets.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

import numpy as np

from threadline.graph.interval import day_to_iso
from threadline.graph.results import GraphEdge, GraphNode
from threadline.graph.scope import Visibility
from threadline.graph.semantics import DERIVED_TYPES
from threadline.graph.weights import strength
from threadline.model.entity import Entity
from threadline.model.statement import StatementRow
from threadline.store.base import Store


def readable(rows: list[StatementRow], datasets: Collection[str] | None) -> list[StatementRow]:
    """The statements of datasets the caller may read."""
    if datasets is None:
        return rows
    return [r for r in rows if r.dataset in datasets]


class Describer:
    """Describes positions of one adjacency view for one query."""

    def __init__(self, view: Visibility, store: Store) -> None:
        self.view = view
        self.store = store

    def nodes(self, positions: Iterable[int]) -> dict[int, GraphNode]:
        """Each node with its schema, caption and readable datasets."""
        adj = self.view.adj
        wanted = {p: adj.nodes.get(p) for p in positions}
        statements = self.store.statements_for(wanted.values()) if wanted else {}
        allowed = self.view.scope.datasets
        found: dict[int, GraphNode] = {}
        for pos, node_id in wanted.items():
            schema = adj.meta.schemas[int(adj.node_schema[pos])]
            rows = readable(statements.get(node_id, []), allowed)
            caption = Entity.assemble(node_id, rows).caption if rows else node_id
            found[pos] = GraphNode(node_id, schema, caption, self.view.node_datasets(pos))
        return found

    def edge(self, edge: int) -> GraphEdge:
        """One edge with its type, ends, dates, strength and readable datasets."""
        adj = self.view.adj
        kind = adj.meta.types[int(adj.edge_type[edge])]
        return GraphEdge(
            id=adj.edges.get(edge),
            type=kind,
            source=adj.nodes.get(int(adj.edge_src[edge])),
            target=adj.nodes.get(int(adj.edge_dst[edge])),
            start=day_to_iso(int(adj.edge_start[edge])),
            end=day_to_iso(int(adj.edge_end[edge])),
            strength=strength(kind),
            derived=kind in DERIVED_TYPES,
            datasets=self.view.edge_datasets(edge),
        )

    def edges(self, positions: Iterable[int]) -> list[GraphEdge]:
        """Several edges, in the order given."""
        return [self.edge(e) for e in positions]

    def all_nodes(self, dataset: str | None) -> Iterator[GraphNode]:
        """Every visible node in id order, captions read in one pass over the store (its
        entities come in the same byte order of ids, so the two streams merge)."""
        adj = self.view.adj
        visible = self.view.nodes_visible(np.arange(adj.node_count))
        allowed = self.view.scope.datasets
        entities = self.store.iter_entities(dataset)
        current = next(entities, None)
        for pos in np.flatnonzero(visible).tolist():
            key = adj.nodes.raw(pos)
            while current is not None and current[0].entity_id.encode("utf-8") < key:
                current = next(entities, None)
            node_id = key.decode("utf-8")
            rows: list[StatementRow] = []
            if current is not None and current[0].entity_id == node_id:
                rows = readable(current, allowed)
            caption = Entity.assemble(node_id, rows).caption if rows else node_id
            schema = adj.meta.schemas[int(adj.node_schema[pos])]
            yield GraphNode(node_id, schema, caption, self.view.node_datasets(pos))

    def all_edges(self, chunk: int = 65_536) -> Iterator[GraphEdge]:
        """Every visible edge, in edge order."""
        adj = self.view.adj
        for lo in range(0, adj.edge_count, chunk):
            edges = np.arange(lo, min(lo + chunk, adj.edge_count))
            ok = self.view.nodes_visible(adj.edge_src[edges])
            steps = self.view.steps(adj.edge_dst[edges], edges)
            if steps is not None:
                ok &= steps
            for edge in edges[ok].tolist():
                yield self.edge(edge)
