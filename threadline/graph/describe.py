"""Turning node and edge positions into result objects, with captions from the store.

A node is a canonical entity: its caption and schema are assembled from the statements
of all its merged records, but only those of datasets the caller may read, so a result
never shows a name (or a schema) that comes from a collection outside the query's
datasets.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import replace

import numpy as np
from followthemoney import model

from threadline.graph.interval import day_to_iso
from threadline.graph.results import GraphEdge, GraphNode
from threadline.graph.scope import Visibility
from threadline.graph.semantics import DERIVED_TYPES
from threadline.graph.weights import strength
from threadline.model.caption import is_link, link_caption
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
        self._captions: dict[str, str] = {}  # of the nodes described so far, by id

    def _statements(self, node_ids: Collection[str]) -> dict[str, list[StatementRow]]:
        """Each node's statements, over every record merged into it."""
        clusters = self.store.judgements.members_of(node_ids)
        records = {m for n in node_ids for m in clusters.get(n, [n])}
        found = self.store.statements_for(records) if records else {}
        return {n: [r for m in clusters.get(n, [n]) for r in found.get(m, [])] for n in node_ids}

    def _node(self, pos: int, node_id: str, rows: list[StatementRow]) -> GraphNode:
        adj = self.view.adj
        schema = adj.meta.schemas[int(adj.node_schema[pos])]
        caption = node_id
        mine = readable(rows, self.view.scope.datasets)
        if mine:
            entity = Entity.assemble(node_id, mine)
            caption, schema = entity.caption, entity.schema.name
        return GraphNode(node_id, schema, caption, self.view.node_datasets(pos))

    def nodes(self, positions: Iterable[int]) -> dict[int, GraphNode]:
        """Each node with its schema, caption and readable datasets."""
        adj = self.view.adj
        wanted = {p: adj.nodes.get(p) for p in positions}
        statements = self._statements(set(wanted.values())) if wanted else {}
        found = {
            pos: self._node(pos, node_id, statements.get(node_id, []))
            for pos, node_id in wanted.items()
        }
        self._captions.update((n.id, n.caption) for n in found.values())
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
        """Several edges, in the order given, each with its caption: an edge entity's
        from its readable statements and its ends' captions (those of the nodes
        described already, the others read with the edge entities, in one go)."""
        bare = [self.edge(e) for e in positions]
        entities = {e.id for e in bare if model.get(e.type) is not None}
        ends = {i for e in bare for i in (e.source, e.target)} - self._captions.keys()
        rows = self._statements(entities | ends) if entities or ends else {}
        for node_id in ends:
            mine = readable(rows.get(node_id, []), self.view.scope.datasets)
            self._captions[node_id] = Entity.assemble(node_id, mine).caption if mine else node_id
        return [replace(e, caption=self._caption(e, rows.get(e.id, []))) for e in bare]

    def _caption(self, edge: GraphEdge, rows: list[StatementRow]) -> str:
        """What one edge says, naming its two ends as the graph has them (canonical)."""
        names: Mapping[str, str] = self._captions
        mine = readable(rows, self.view.scope.datasets)
        source, target = names.get(edge.source, edge.source), names.get(edge.target, edge.target)
        if not mine:  # an entity reference (a Contract's authority) or a derived link
            return f"{edge.type}, {source} → {target}"
        entity = Entity.assemble(edge.id, mine)
        schema = entity.schema
        if not is_link(schema) or not schema.edge_source or not schema.edge_target:
            return entity.caption
        # The edge entity may name its ends by records merged into the graph's nodes.
        values = entity.proxy.properties
        values[schema.edge_source], values[schema.edge_target] = [edge.source], [edge.target]
        return link_caption(schema, values, names)

    def all_nodes(self, dataset: str | None) -> Iterator[GraphNode]:
        """Every visible node in id order, captions read in one pass over the store (its
        entities come in the same byte order of ids, so the two streams merge)."""
        adj = self.view.adj
        visible = self.view.nodes_visible(np.arange(adj.node_count))
        # Merged entities are looked up over their records; the rest come from the stream.
        clusters: dict[str, list[str]] = {}
        for member, head in self.store.judgements.canonical_map().items():
            clusters.setdefault(head, []).append(member)
        entities = self.store.iter_entities(dataset)
        current = next(entities, None)
        for pos in np.flatnonzero(visible).tolist():
            key = adj.nodes.raw(pos)
            while current is not None and current[0].entity_id.encode("utf-8") < key:
                current = next(entities, None)
            node_id = key.decode("utf-8")
            rows: list[StatementRow] = []
            if node_id in clusters:
                found = self.store.statements_for(clusters[node_id])
                rows = [r for m in sorted(found) for r in found[m]]
                if dataset is not None:
                    rows = [r for r in rows if r.dataset == dataset]
            elif current is not None and current[0].entity_id == node_id:
                rows = current
            yield self._node(pos, node_id, rows)

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
