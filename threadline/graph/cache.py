"""The adjacency view of one store, kept fresh: loaded, reused or rebuilt when stale.

The view is saved in its folder of the data directory and rebuilt when stale. Staleness
is judged by a fingerprint of the store's sources (every ingest records its files, with
the time and the record count) and of the build options: a few rows, read before every
query. Counting statements would be surer but takes seconds on a large store. Writes
that bypass ingest and record no source need an explicit `rebuild`.

One process builds at a time (`building.BuildLock`); the others wait for its result.
A call that must not wait long (`background`, the HTTP API) builds or waits for a view
of at most `INLINE_LIMIT` entities (about a CPU second); a larger one it leaves to a
job worker (`start`) and is told how far that build is (GraphBuilding).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from threadline.graph.adjacency import FORMAT, Adjacency, Meta
from threadline.graph.build import Canonical, build_adjacency
from threadline.graph.building import BuildLock, Held, SharedProgress, building_error
from threadline.graph.results import GraphStats
from threadline.graph.semantics import SCAN_TYPES
from threadline.model.provenance import SourceInfo
from threadline.progress import NoProgress, Progress
from threadline.store.base import Store

# Entities (nodes and edge entities) a query may build the view of in the call, even
# when asked to build in the background: about 1 CPU s (the demo builds 23,000 entities
# a CPU second, the generated graph of benchmarks/graph.py 37,000; see
# benchmarks/results/graph.md, 2026-12-07).
INLINE_LIMIT = 25_000


@dataclass(frozen=True)
class Builds:
    """What a query does when the view is stale: build it in the call (waiting for
    another process's build, shown on `progress`), or, with `background` and a view
    larger than the inline limit, `start` a build elsewhere and raise GraphBuilding."""

    background: bool = False
    progress: Progress | None = None
    start: Callable[[], None] | None = None


class ViewCache:
    """The adjacency view of a store, built on demand and saved in `folder`."""

    def __init__(
        self,
        store: Callable[[], Store],
        folder: Path,
        *,
        canonical: Canonical | None = None,
        canonical_version: str | Callable[[], str] = "",
        canonical_map: Callable[[], Callable[[str], str]] | None = None,
        derived: bool = True,
        max_group: int = 20,
    ) -> None:
        self.store = store
        self.folder = folder
        self.canonical = canonical
        self.canonical_version = canonical_version
        self.canonical_map = canonical_map
        self.derived = derived
        self.max_group = max_group
        self.inline_limit = INLINE_LIMIT
        self.lock = BuildLock(folder)
        self.built = 0  # how many times this cache built the view (for tests, stats)
        self.seconds: float | None = None  # how long the last build took
        self._counted: tuple[list[SourceInfo], int] | None = None  # sources, entity count
        # Anything that changes what a build produces belongs in the fingerprint.
        self.options = {
            "format": FORMAT,
            "canonical": canonical_version if isinstance(canonical_version, str) else "",
            "derived": derived,
            "max_group": max_group,
        }
        self._adj: Adjacency | None = None

    def adjacency(self, progress: Progress | None = None, builds: Builds = Builds()) -> Adjacency:
        """The current adjacency view: in memory, saved, or rebuilt if stale."""
        fresh = self._fresh(self._fingerprint(self._sources()))
        if fresh is not None:
            return fresh
        progress = builds.progress or progress
        # A large view is never built (or waited for) in a call that will not wait.
        if builds.background and self._large():
            if self.lock.busy():
                raise building_error(self.lock.state())
            if builds.start is not None:
                builds.start()
            raise building_error(None, queued=True)
        held = self.lock.acquire(wait=False) or self._wait_for_lock(progress)
        try:
            # Another process may have built it while this one waited.
            fingerprint = self._fingerprint(self._sources())
            fresh = self._fresh(fingerprint)
            return fresh if fresh is not None else self._build(fingerprint, progress)
        finally:
            held.release()

    def refresh(self, progress: Progress | None = None) -> GraphStats | None:
        """Rebuild the view if it is stale (what a worker does after an ingest); the
        stats of the build, or None if it was fresh."""
        before = self.built
        adj = self.adjacency(progress)
        return self._stats(adj, self.seconds) if self.built > before else None

    def rebuild(self, progress: Progress | None = None) -> GraphStats:
        """Drop the adjacency view and build it again from the store."""
        held = self.lock.acquire(wait=False) or self._wait_for_lock(progress)
        try:
            adj = self._build(self._fingerprint(self._sources()), progress)
        finally:
            held.release()
        return self._stats(adj, self.seconds)

    def _fresh(self, fingerprint: str) -> Adjacency | None:
        """The view in memory or saved, if it was built from what the store holds now."""
        if self._adj is not None and self._adj.meta.fingerprint == fingerprint:
            return self._adj
        saved = Adjacency.load(self.folder)
        if saved is not None and saved.meta.fingerprint == fingerprint:
            self._adj = saved
            return saved
        return None

    def _wait_for_lock(self, progress: Progress | None) -> Held:
        progress = progress or NoProgress()
        progress.begin("waiting for another process to build the link graph", None, "waits")
        try:
            held = self.lock.acquire(wait=True)
        finally:
            progress.end()
        assert held is not None  # a waiting acquisition always gets the lock
        return held

    def _large(self) -> bool:
        """Whether a build would scan more than `inline_limit` entities."""
        return self._estimate() > self.inline_limit

    def _estimate(self) -> int:
        """How many entities a build scans: as many as the last build did (or the running
        one expects), or else the store's count (a scan, kept until the sources change)."""
        saved = self._adj or Adjacency.load(self.folder)
        if saved is not None:
            found = saved.meta.extra.get("entities", saved.node_count + saved.edge_count)
            return int(found)
        running = self.lock.state()
        if running is not None and running.total is not None:
            return running.total
        sources = self._sources()
        if self._counted is None or self._counted[0] != sources:
            self._counted = (sources, self.store().count_entities())
        return self._counted[1]

    def _build(self, fingerprint: str, progress: Progress | None) -> Adjacency:
        """Build and save the view; the caller holds the lock."""
        total = self._estimate()
        shared = SharedProgress(progress or NoProgress(), self.lock, total)
        store = self.store()
        started = time.perf_counter()
        meta = Meta(fingerprint, 0, [], [], [], [])
        # The total is an estimate (the last build's count) unless nothing was built yet.
        shared.begin("building the link graph", total or None, "entities")
        try:
            canonical = self.canonical_map() if self.canonical_map else self.canonical
            adj = build_adjacency(
                store.iter_values(SCAN_TYPES),
                meta,
                canonical=canonical,
                derived=self.derived,
                max_group=self.max_group,
                progress=shared,
            )
        finally:
            shared.end()
        adj.meta.extra["entities"] = shared.state.done
        adj.save(self.folder)
        self._adj = saved = Adjacency.load(self.folder) or adj
        self.built += 1
        self.seconds = time.perf_counter() - started
        return saved

    def stats(self) -> GraphStats:
        """The size of the current view."""
        return self._stats(self.adjacency(), None)

    def _stats(self, adj: Adjacency, seconds: float | None) -> GraphStats:
        counts = np.bincount(adj.edge_type, minlength=len(adj.meta.types)).tolist()
        types = {t: int(c) for t, c in zip(adj.meta.types, counts, strict=True) if c}
        return GraphStats(
            adj.node_count,
            adj.edge_count,
            dict(sorted(types.items())),
            adj.meta.datasets,
            adj.meta.skipped_groups,
            adj.meta.statements,
            seconds,
        )

    def _sources(self) -> list[SourceInfo]:
        return self.store().sources()

    def _fingerprint(self, found: list[SourceInfo]) -> str:
        sources = sorted((s.sha256, s.dataset, s.ingested_at, s.records) for s in found)
        version = self.canonical_version
        judged = version() if callable(version) else version
        payload = json.dumps([sources, self.options, judged], sort_keys=True).encode("utf-8")
        return hashlib.sha256(payload).hexdigest()
