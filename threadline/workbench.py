"""The Workbench: the library API. The CLI and the HTTP API are thin layers over it.

It wires the store (source of truth) to the derived search index and delegates the work
to the domain packages; it holds no logic of its own beyond that wiring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Unpack

from threadline import indexer
from threadline.errors import IngestAborted, InputError, NotFoundError, ThreadlineError
from threadline.graph.links import direct_links
from threadline.graph.service import (
    Filters,
    GraphStats,
    HubRanking,
    LinkGraph,
    PathResult,
    Subgraph,
    ViewCache,
)
from threadline.ingest import FileReport, IngestOptions, plan_file, run_plan
from threadline.model.entity import Entity
from threadline.model.relationship import Relationship
from threadline.progress import NoProgress, Progress
from threadline.resolution import Decisions, Resolution, ResolveReport
from threadline.resolve.explain import Explanation
from threadline.resolve.judgement import Judgement, Verdict
from threadline.resolve.thresholds import Thresholds
from threadline.search import SearchIndex, SearchQuery, SearchResult, open_index
from threadline.settings import Settings
from threadline.store import DatasetStats, Store, open_store
from threadline.store.assembly import iter_entities, load_entities
from threadline.store.judgements import ReviewItem

EXPORT_FORMATS = ("ftm",)


@dataclass
class DemoReport:
    """What `demo` generated and ingested."""

    folder: Path
    reports: list[FileReport]


@dataclass
class EntityView:
    """An assembled entity with every value's provenance and its direct links."""

    entity: Entity
    relationships: list[Relationship] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # the source records merged into it


class Workbench:
    """Ingest, search, read and export; one object per data directory."""

    def __init__(self, settings: Settings | None = None, *, data_dir: Path | None = None) -> None:
        settings = settings or Settings()
        if data_dir is not None:
            settings = settings.model_copy(update={"data_dir": data_dir})
        self.settings = settings
        self.data_dir = settings.resolved_data_dir()
        self._store: Store | None = None
        self._index: SearchIndex | None = None

    @property
    def store(self) -> Store:
        """The statement store, opened on first use."""
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    @property
    def index(self) -> SearchIndex:
        """The search index, opened on first use."""
        if self._index is None:
            self._index = open_index(self.settings)
        return self._index

    def close(self) -> None:
        """Release the store and the index."""
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Workbench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Ingest ----------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path],
        dataset: str | None = None,
        *,
        schema: str | None = None,
        maps: dict[str, str] | None = None,
        keys: list[str] | None = None,
        skip_errors: bool = False,
        progress: Progress | None = None,
    ) -> list[FileReport]:
        """Write files' statements to the store (one transaction per file), then index.

        Every file is checked before any is written. A file that fails is rolled back
        whole, unless `skip_errors`, which keeps the good records and reports the bad.
        """
        progress = progress or NoProgress()
        options = IngestOptions(
            dataset=dataset,
            schema=schema,
            maps=dict(maps or {}),
            keys=list(keys or []),
            skip_errors=skip_errors,
        )
        plans = [plan_file(Path(p), options) for p in paths]
        reports = []
        for plan in plans:
            try:
                report = run_plan(
                    self.store.writer,
                    plan,
                    skip_errors,
                    progress,
                    self.settings.workers,
                    self.settings.parallel_min_bytes,
                )
            except InputError as error:
                raise IngestAborted(error) from None
            try:
                indexer.update(self.store, self.index, self.settings, report.entity_ids, progress)
            except ThreadlineError as exc:
                raise ThreadlineError(
                    f"{plan.path}: the statements were stored, but indexing failed ({exc}); "
                    "run `threadline reindex`"
                ) from exc
            reports.append(report)
        return reports

    # Read ------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        schema: str | None = None,
        dataset: str | None = None,
        country: str | None = None,
        limit: int = 10,
        offset: int = 0,
        fuzzy: bool = True,
    ) -> SearchResult:
        """Full text and names over everything ingested, with facets and highlights."""
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        return self.index.search(
            SearchQuery(
                text=query,
                schema=schema,
                dataset=dataset,
                country=country,
                limit=limit,
                offset=offset,
                fuzzy=fuzzy,
            )
        )

    def entity(self, entity_id: str) -> EntityView:
        """The assembled entity, each value with its provenance, and its direct links.

        Any member id of a merged entity gives the merged (canonical) entity.
        """
        found = self._merged(entity_id)
        if found is None:
            raise NotFoundError(f"No entity with id {entity_id!r}")
        entity, members = found
        references = [r for m in members for r in self.store.references(m)]
        links = direct_links(entity, references, lambda ids: load_entities(self.store, ids))
        return EntityView(entity=entity, relationships=links, members=members)

    def _merged(self, entity_id: str) -> tuple[Entity, list[str]] | None:
        judgements = self.store.judgements
        canonical = judgements.canonical([entity_id])[entity_id]
        members = judgements.members(canonical)
        loaded = load_entities(self.store, members)
        if not loaded:
            return None
        rows = [row for m in members if m in loaded for row in loaded[m].statements]
        names = next(iter(loaded.values())).source_names
        return Entity.assemble(canonical, rows, names), members

    def datasets(self) -> list[DatasetStats]:
        """Every dataset with its entity, statement and source counts."""
        return self.store.datasets()

    def export(self, dataset: str | None = None, format: str = "ftm") -> Iterator[dict[str, Any]]:
        """Stream entities as followthemoney JSON objects, in id order.

        A merged entity comes out once, under its canonical id, with every member's
        statements and the member ids in `referents` (as nomenklatura does).
        """
        if format not in EXPORT_FORMATS:
            raise ValueError(f"Unknown export format {format!r}; use one of {EXPORT_FORMATS}")
        if dataset is not None and dataset not in {d.name for d in self.datasets()}:
            raise NotFoundError(f"No dataset named {dataset!r}")
        canonical = self.store.judgements.canonical_map()
        for entity in iter_entities(self.store, dataset):
            head = canonical.get(entity.id)
            if head is None:
                yield {**entity.to_ftm(), "referents": []}
                continue
            if head != entity.id and head in canonical:
                continue  # a member: it comes out with its canonical entity
            found = self._merged(entity.id)
            if found is None:
                continue
            merged, members = found
            if dataset is not None:
                rows = [r for r in merged.statements if r.dataset == dataset]
                merged = Entity.assemble(merged.id, rows, merged.source_names)
            referents = [m for m in members if m != merged.id]
            yield {**merged.to_ftm(), "referents": referents}

    def demo(
        self, *, seed: int = 7, scale: float = 1.0, progress: Progress | None = None
    ) -> DemoReport:
        """Generate the synthetic investigation into the data dir and ingest it."""
        from threadline.demo import generate

        folder = self.data_dir / "demo-sources"
        reports: list[FileReport] = []
        for source in generate(folder, seed=seed, scale=scale):
            reports.extend(self.ingest(list(source.paths), source.dataset, progress=progress))
        return DemoReport(folder=folder, reports=reports)

    # Resolution ------------------------------------------------------------------

    @cached_property
    def _resolution(self) -> Resolution:
        return Resolution(self.store, self.data_dir, Thresholds())

    def resolve(
        self,
        datasets: Sequence[str] | None = None,
        *,
        full: bool = False,
        train: bool = False,
        link_only: bool = False,
        twin_rule: bool = True,
        progress: Progress | None = None,
    ) -> ResolveReport:
        """Find candidate pairs, score them, merge the sure ones, queue the unsure ones.

        After the first run, new and changed records are compared with the rest
        (incremental); `full` compares every pair again, `train` re-estimates the model.
        `twin_rule` keeps apart records with different given names but the same birth
        date and street address (twins), unless an identifier agrees.
        """
        known = {d.name for d in self.datasets()}
        for name in datasets or []:
            if name not in known:
                raise NotFoundError(f"No dataset named {name!r}")
        progress = progress or NoProgress()
        report = self._resolution.run(
            datasets,
            full=full,
            train=train,
            link_only=link_only,
            twin_rule=twin_rule,
            progress=progress,
        )
        self._refresh(report.changed, progress)
        return report

    def judge(
        self,
        left: str,
        right: str,
        verdict: str | Verdict,
        *,
        actor: str = "local",
        reason: str | None = None,
    ) -> Judgement:
        """Record that two entities are the same, not the same, or unsure."""
        verdict = verdict if isinstance(verdict, Verdict) else Verdict.parse(verdict)
        judgement, changed = Decisions(self._resolution).judge(left, right, verdict, actor, reason)
        self._refresh(changed, NoProgress())
        return judgement

    def undo(self, judgement_id: str | None = None, *, actor: str = "local") -> Judgement:
        """Undo a judgement by id, or the actor's last one; facts are never touched."""
        judgement, changed = Decisions(self._resolution).undo(judgement_id, actor)
        self._refresh(changed, NoProgress())
        return judgement

    def explain(self, left: str, right: str) -> Explanation:
        """Why two entities score as they do: every feature, the blocking rule, the decision."""
        return Decisions(self._resolution).explain(left, right)

    def review(self, limit: int = 20, offset: int = 0) -> list[ReviewItem]:
        """Candidate pairs waiting for a reviewer, the most uncertain first."""
        return self.store.judgements.review(limit, offset)

    def judgements(
        self, entity_id: str | None = None, *, include_undone: bool = False
    ) -> list[Judgement]:
        """Judgements (about one entity, if given), oldest first."""
        store = self.store.judgements
        if entity_id is None:
            return store.all(active=not include_undone)
        return store.touching({entity_id}, active=not include_undone)

    def _refresh(self, changed: set[str], progress: Progress) -> None:
        """Bring the search index in line with new canonical ids (the graph view
        notices by itself: its fingerprint includes the judgements' version)."""
        if changed:
            indexer.update(self.store, self.index, self.settings, changed, progress)

    # Derived views ---------------------------------------------------------------

    def reindex(self, progress: Progress | None = None) -> int:
        """Drop the search index and rebuild it from the store."""
        return indexer.rebuild(self.store, self.index, self.settings, progress or NoProgress())

    # Link analysis ---------------------------------------------------------------

    @cached_property
    def _graph(self) -> LinkGraph:
        def canonical_map() -> Callable[[str], str]:
            mapping = self.store.judgements.canonical_map()
            return lambda entity_id: mapping.get(entity_id, entity_id)

        cache = ViewCache(
            lambda: self.store,
            self.data_dir / "graph",
            canonical_version=lambda: self.store.judgements.version(),
            canonical_map=canonical_map,
        )
        return LinkGraph(cache)

    def graph_neighbours(
        self, entity_id: str, *, depth: int = 1, limit: int = 500, **filters: Unpack[Filters]
    ) -> Subgraph:
        """Entities within `depth` hops of one, and the links that lead there."""
        return self._graph.neighbours(entity_id, depth=depth, limit=limit, **filters)

    def graph_path(
        self, source: str, target: str, *, max_hops: int = 6, k: int = 3, **filters: Unpack[Filters]
    ) -> PathResult:
        """The k best paths between two entities, ranked and explained."""
        return self._graph.path(source, target, max_hops=max_hops, k=k, **filters)

    def graph_connect(
        self, entity_ids: list[str], *, max_hops: int = 6, **filters: Unpack[Filters]
    ) -> Subgraph:
        """The small subgraph that joins several entities (who connects them)."""
        return self._graph.connect(entity_ids, max_hops=max_hops, **filters)

    def graph_hubs(
        self,
        *,
        ids: list[str] | None = None,
        dataset: str | None = None,
        limit: int = 20,
        **filters: Unpack[Filters],
    ) -> HubRanking:
        """The most central entities of a set: given ids, or a dataset's entities."""
        return self._graph.hubs(ids=ids, dataset=dataset, limit=limit, **filters)

    def graph_export(
        self, format: str, *, dataset: str | None = None, **filters: Unpack[Filters]
    ) -> Iterator[str]:
        """The link graph as GEXF, GraphML or Cytoscape JSON, streamed as text."""
        return self._graph.export(format, dataset=dataset, **filters)

    def graph_rebuild(self, progress: Progress | None = None) -> GraphStats:
        """Drop the link graph's adjacency view and rebuild it from the store."""
        return self._graph.cache.rebuild(progress)
