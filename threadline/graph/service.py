"""LinkGraph: neighbours, ranked paths, connecting subgraphs, hubs and exports.

Every query takes the caller's readable `datasets` (None: all) and never returns or
walks through a node or edge outside them; an entity outside them is "not found", as
one that does not exist. Other filters: link `types`, a date (`at`) or a range
(`between`), and `derived=False` to leave inferred links out.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from datetime import date
from typing import Unpack

import numpy as np

from threadline.errors import NotFoundError
from threadline.graph.cache import Builds, ViewCache
from threadline.graph.connect import connect
from threadline.graph.describe import Describer
from threadline.graph.export import export_graph
from threadline.graph.hubs import centrality
from threadline.graph.interval import window
from threadline.graph.paths import best_paths, explain
from threadline.graph.results import GraphStats, Hub, HubRanking, PathResult, RankedPath, Subgraph
from threadline.graph.scope import Filters, Scope, Visibility, When
from threadline.graph.traverse import neighbourhood

PATH_BUDGET = 200_000


class LinkGraph:
    """Link analysis over the adjacency view a `ViewCache` keeps fresh."""

    def __init__(
        self,
        cache: ViewCache,
        today: Callable[[], date] = date.today,
        builds: Builds | None = None,
    ) -> None:
        self.cache = cache
        self.today = today
        self.builds = builds or Builds()  # what a query does if the view is stale

    def view(
        self,
        types: Collection[str] | None = None,
        at: When | None = None,
        between: tuple[When, When] | None = None,
        datasets: Collection[str] | None = None,
        derived: bool = True,
    ) -> Visibility:
        """The current adjacency view seen through a query's filters."""
        scope = Scope.of(types, window(at, between), datasets, derived)
        return Visibility(self.cache.adjacency(builds=self.builds), scope)

    def _position(self, view: Visibility, entity_id: str) -> int:
        canonical = self.cache.canonical
        pos = view.adj.nodes.find(canonical(entity_id) if canonical else entity_id)
        if pos is None or not view.node_visible(pos):
            raise NotFoundError(f"No entity with id {entity_id!r} in the link graph")
        return pos

    def _subgraph(self, view: Visibility, nodes: list[int], edges: list[int]) -> Subgraph:
        describe = Describer(view, self.cache.store())
        found = describe.nodes(nodes)
        return Subgraph([found[n] for n in nodes], describe.edges(edges))

    def neighbours(
        self, entity_id: str, *, depth: int = 1, limit: int = 500, **filters: Unpack[Filters]
    ) -> Subgraph:
        """Entities within `depth` hops and the links that lead there (at most `limit`)."""
        view = self.view(**filters)
        start = self._position(view, entity_id)
        hood = neighbourhood(view, start, depth, limit)
        nearest = sorted(hood.depth, key=lambda n: (hood.depth[n], n))
        result = self._subgraph(view, nearest, hood.edges)
        result.depth = {
            node.id: hood.depth[n] for n, node in zip(nearest, result.nodes, strict=True)
        }
        result.truncated = hood.truncated
        return result

    def path(
        self, source: str, target: str, *, max_hops: int = 6, k: int = 3, **filters: Unpack[Filters]
    ) -> PathResult:
        """The `k` best paths of at most `max_hops`, cheapest first, each explained."""
        if max_hops < 1 or k < 1:
            raise ValueError("max_hops and k must be at least 1")
        view = self.view(**filters)
        a, b = self._position(view, source), self._position(view, target)
        today = self.today().toordinal()
        found, cut = best_paths(view, a, b, max_hops, k, today, PATH_BUDGET)
        describe = Describer(view, self.cache.store())
        nodes = describe.nodes({n for p in found for n in p.nodes})
        ranked = []
        for rank, path in enumerate(found, start=1):
            why = explain(view, path, today)
            edges = describe.edges(path.edges)
            ranked.append(
                RankedPath(
                    rank=rank,
                    node_ids=[nodes[n].id for n in path.nodes],
                    edge_ids=[e.id for e in edges],
                    nodes=[nodes[n] for n in path.nodes],
                    edges=edges,
                    hops=why.hops,
                    weakness=why.weakness,
                    age=why.age,
                    cost=why.cost,
                    newest=why.latest,
                    explanation=why.text,
                )
            )
        return PathResult(source, target, ranked, cut)

    def connect(
        self, entity_ids: list[str], *, max_hops: int = 6, **filters: Unpack[Filters]
    ) -> Subgraph:
        """The small subgraph that joins the entities (an approximate Steiner tree)."""
        if len(entity_ids) < 2:
            raise ValueError("connect needs at least two entities")
        view = self.view(**filters)
        terminals = [self._position(view, i) for i in entity_ids]
        tree = connect(view, terminals, max_hops, self.today().toordinal(), PATH_BUDGET)
        result = self._subgraph(view, sorted(tree.nodes), tree.edges)
        result.groups = [[view.adj.nodes.get(t) for t in group] for group in tree.groups]
        result.truncated = tree.truncated
        return result

    def hubs(
        self,
        *,
        ids: list[str] | None = None,
        dataset: str | None = None,
        limit: int = 20,
        **filters: Unpack[Filters],
    ) -> HubRanking:
        """The most central entities of a set (given ids, or a dataset's entities)."""
        view = self.view(**filters)
        if ids is not None:
            members = np.array(sorted({self._position(view, i) for i in ids}), dtype=np.int64)
        else:
            readable = view.scope.datasets
            if dataset is not None and readable is not None and dataset not in readable:
                raise NotFoundError(f"No dataset named {dataset!r} among the readable ones")
            members = view.members(dataset)
        measured = centrality(view, members)
        scores = measured.betweenness
        order = sorted(
            measured.degree,
            key=lambda n: (-(scores or {}).get(n, 0.0), -measured.degree[n], n),
        )[:limit]
        described = Describer(view, self.cache.store()).nodes(order)
        hubs = [
            Hub(described[n], measured.degree[n], None if scores is None else scores[n])
            for n in order
        ]
        return HubRanking(hubs, len(measured.degree), measured.edges, measured.method)

    def export(
        self, format: str, *, dataset: str | None = None, **filters: Unpack[Filters]
    ) -> Iterator[str]:
        """The (visible part of the) graph as GEXF, GraphML or Cytoscape JSON, streamed."""
        if dataset is not None:
            readable = filters.get("datasets")
            filters["datasets"] = {dataset} & set({dataset} if readable is None else readable)
        view = self.view(**filters)
        describe = Describer(view, self.cache.store())
        return export_graph(format, describe.all_nodes(dataset), describe.all_edges())


__all__ = [
    "Builds",
    "Filters",
    "GraphStats",
    "HubRanking",
    "LinkGraph",
    "PathResult",
    "Scope",
    "Subgraph",
    "ViewCache",
]
