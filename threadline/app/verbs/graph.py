"""Link-analysis verbs: neighbours, paths, connecting subgraphs, hubs, exports.

Every traversal stays inside the collections the caller may read (inside a case, its
sources): nodes and links outside them are neither returned nor walked through. A
result that joins entities from several collections is recorded as a combination.

The view is built in the call when stale; the library and the CLI wait for it (with a
progress bar if given one, and for another process's build rather than build it too).
The HTTP API asks for `view_builds(bench, background=True)`: a large stale view is then
built by a job worker, and the call raises GraphBuilding (503 with Retry-After).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar, Unpack

from threadline.app.jobs.graph import queue_build
from threadline.app.jobs.store import JobStore
from threadline.app.jobs.table import jobs_url
from threadline.app.verbs.base import Act, VerbsBase
from threadline.app.verbs.markings import markings_of
from threadline.audit import ActionKind
from threadline.errors import NotFoundError
from threadline.graph.describe import Describer
from threadline.graph.export import export_graph
from threadline.graph.results import GraphNode
from threadline.graph.service import (
    Builds,
    Filters,
    GraphStats,
    HubRanking,
    LinkGraph,
    PathResult,
    Subgraph,
    ViewCache,
)
from threadline.progress import Progress


def _record(act: Act, nodes: Iterable[GraphNode]) -> None:
    """The ids a graph result shows; more than one collection makes it a combination."""
    found = list(nodes)
    act.ids = list(dict.fromkeys(node.id for node in found))
    if len({d for node in found for d in node.datasets}) > 1:
        act.kind = ActionKind.COMBINATION


class GraphVerbs(VerbsBase):
    """Follow the links between entities."""

    # What a query does with a stale view: build it in the call, unless a copy made
    # by `view_builds` says otherwise.
    _graph_builds = Builds()

    @property
    def _view_cache(self) -> ViewCache:
        """The adjacency view of the store, shared by every copy of this workbench."""
        lazy = self._backends.lazy
        if "graph" not in lazy:

            def canonical_map() -> Callable[[str], str]:
                mapping = self.store.judgements.canonical_map()
                return lambda entity_id: mapping.get(entity_id, entity_id)

            lazy["graph"] = ViewCache(
                lambda: self.store,
                self.data_dir / "graph",
                canonical_version=lambda: self.store.judgements.version(),
                canonical_map=canonical_map,
            )
        cache: ViewCache = lazy["graph"]
        return cache

    @property
    def _graph(self) -> LinkGraph:
        builds = self._graph_builds
        if builds.background and self.settings.store == "memory":
            # Its job queue is private to each opening: no worker would see the job.
            builds = Builds(False, builds.progress)
        elif builds.background and builds.start is None:
            builds = Builds(True, builds.progress, self._queue_view_build)
        return LinkGraph(self._view_cache, builds=builds)

    def _queue_view_build(self) -> None:
        """Have a job worker build the view (unless a build is queued already)."""
        queue = JobStore(jobs_url(self.settings))
        try:
            queue_build(queue, no_worker_after=self.settings.graph_no_worker_seconds)
        finally:
            queue.close()

    def _canonical(self, act: Act, ids: list[str]) -> list[str]:
        """The nodes of these ids: a merged record is found under its canonical id, if
        the caller may read that record (else it is not found, as in `_visible`)."""
        mapping = self.store.judgements.canonical(ids)
        merged = [i for i in ids if mapping[i] != i]
        if merged:
            found = self.store.statements_for(merged)
            for record in merged:
                if not act.scope.rows(found.get(record, [])):
                    mapping[record] = record  # a member id, not a node: not found
        return [mapping[i] for i in ids]

    def _filters(self, act: Act, filters: Filters) -> Filters:
        scoped: Filters = dict(filters)  # type: ignore[assignment]
        scoped["datasets"] = self._limit(act.scope, filters.get("datasets"))
        return scoped

    def graph_neighbours(
        self, entity_id: str, *, depth: int = 1, limit: int = 500, **filters: Unpack[Filters]
    ) -> Subgraph:
        """Entities within `depth` hops of one, and the links that lead there."""
        with self._act(ActionKind.CONSULTATION, "graph.neighbours") as act:
            act.ids = [entity_id]
            (node,) = self._canonical(act, [entity_id])
            result = self._graph.neighbours(
                node, depth=depth, limit=limit, **self._filters(act, filters)
            )
            _record(act, result.nodes)
        return result

    def graph_path(
        self, source: str, target: str, *, max_hops: int = 6, k: int = 3, **filters: Unpack[Filters]
    ) -> PathResult:
        """The k best paths between two entities, ranked and explained."""
        with self._act(ActionKind.CONSULTATION, "graph.path") as act:
            act.ids = [source, target]
            start, end = self._canonical(act, [source, target])
            result = self._graph.path(
                start, end, max_hops=max_hops, k=k, **self._filters(act, filters)
            )
            result.source, result.target = source, target
            _record(act, [n for p in result.paths for n in p.nodes])
            act.ids = list(dict.fromkeys([source, target, *act.ids]))
        return result

    def graph_connect(
        self, entity_ids: list[str], *, max_hops: int = 6, **filters: Unpack[Filters]
    ) -> Subgraph:
        """The small subgraph that joins several entities (who connects them)."""
        with self._act(ActionKind.CONSULTATION, "graph.connect") as act:
            act.ids = list(entity_ids)
            result = self._graph.connect(
                self._canonical(act, entity_ids), max_hops=max_hops, **self._filters(act, filters)
            )
            _record(act, result.nodes)
        return result

    def graph_hubs(
        self,
        *,
        ids: list[str] | None = None,
        dataset: str | None = None,
        limit: int = 20,
        **filters: Unpack[Filters],
    ) -> HubRanking:
        """The most central entities of a set: given ids, or a dataset's entities."""
        with self._act(ActionKind.CONSULTATION, "graph.hubs") as act:
            if dataset is not None and not act.scope.sees(dataset):
                raise NotFoundError(f"No dataset named {dataset!r} in the link graph")
            result = self._graph.hubs(
                ids=None if ids is None else self._canonical(act, ids),
                dataset=dataset,
                limit=limit,
                **self._filters(act, filters),
            )
            _record(act, [hub.node for hub in result.hubs])
        return result

    def graph_export(
        self, format: str, *, dataset: str | None = None, **filters: Unpack[Filters]
    ) -> Iterator[str]:
        """The link graph as GEXF, GraphML or Cytoscape JSON, streamed as text; every
        node and edge carries the markings of its datasets.

        Spooled whole before the first line leaves, so its audit event (naming every
        node disclosed) comes first."""
        with self._act(ActionKind.DISCLOSURE, "graph.export") as act:
            if dataset is not None and not act.scope.sees(dataset):
                raise NotFoundError(f"No dataset named {dataset!r} in the link graph")
            scoped = self._filters(act, filters)
            if dataset is not None:
                readable = scoped.get("datasets")
                scoped["datasets"] = {dataset} & set({dataset} if readable is None else readable)
            graph = self._graph
            describe = Describer(graph.view(**scoped), graph.cache.store())
            nodes = list(describe.all_nodes(dataset))
            markings = markings_of(act.scope)
            chunks = list(export_graph(format, nodes, describe.all_edges(), markings))
            act.ids = [node.id for node in nodes]
            act.detail = f"format={format} dataset={dataset or '*'}"
        return iter(chunks)

    def graph_rebuild(self, progress: Progress | None = None) -> GraphStats:
        """Drop the link graph's adjacency view and rebuild it from the store (admins)."""
        with self._act(ActionKind.ALTERATION, "graph.rebuild", personal=False) as act:
            self._require_admin(act.scope, "graph rebuild")
            stats = self._view_cache.rebuild(progress)
        return stats


Bench = TypeVar("Bench", bound=GraphVerbs)


def view_builds(
    bench: Bench, *, background: bool = False, progress: Progress | None = None
) -> Bench:
    """This workbench, whose graph verbs show a build of a stale view on `progress`
    (the CLI), or, with `background`, have a job worker build a large one and raise
    GraphBuilding meanwhile (the HTTP API, which must not build in a request)."""
    other = copy.copy(bench)
    other._graph_builds = Builds(background, progress)
    return other


def refresh_view(bench: GraphVerbs, progress: Progress | None = None) -> GraphStats | None:
    """Rebuild the link graph's view if it is stale (a worker's job after an ingest or a
    resolve); the build's stats, or None if it was fresh. Not audited: it reads no
    entity for anyone, as the search index's upkeep does not."""
    return bench._view_cache.refresh(progress)


def view_cache(bench: GraphVerbs) -> ViewCache:
    """The link graph's view cache (for tests and benchmarks: its `inline_limit`)."""
    return bench._view_cache
