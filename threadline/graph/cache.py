"""The adjacency view of one store, kept fresh: loaded, reused or rebuilt when stale.

The view is saved in its folder of the data directory and rebuilt when stale. Staleness
is judged by a fingerprint of the store's sources (every ingest records its files, with
the time and the record count) and of the build options: a few rows, read before every
query. Counting statements would be surer but takes seconds on a large store. Writes
that bypass ingest and record no source need an explicit `rebuild`.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from threadline.graph.adjacency import FORMAT, Adjacency, Meta
from threadline.graph.build import Canonical, build_adjacency
from threadline.graph.results import GraphStats
from threadline.graph.semantics import SCAN_TYPES
from threadline.progress import NoProgress, Progress
from threadline.store.base import Store


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
        # Anything that changes what a build produces belongs in the fingerprint.
        self.options = {
            "format": FORMAT,
            "canonical": canonical_version if isinstance(canonical_version, str) else "",
            "derived": derived,
            "max_group": max_group,
        }
        self._adj: Adjacency | None = None

    def adjacency(self, progress: Progress | None = None) -> Adjacency:
        """The current adjacency view: in memory, saved, or rebuilt if stale."""
        fingerprint = self._fingerprint()
        if self._adj is not None and self._adj.meta.fingerprint == fingerprint:
            return self._adj
        saved = Adjacency.load(self.folder)
        if saved is not None and saved.meta.fingerprint == fingerprint:
            self._adj = saved
            return saved
        self.rebuild(progress)
        assert self._adj is not None
        return self._adj

    def rebuild(self, progress: Progress | None = None) -> GraphStats:
        """Drop the adjacency view and build it again from the store."""
        progress = progress or NoProgress()
        store = self.store()
        started = time.perf_counter()
        meta = Meta(self._fingerprint(), 0, [], [], [], [])
        # No total: counting a large store's entities first would take longer than a tick.
        progress.begin("building the link graph", None, "entities")
        try:
            canonical = self.canonical_map() if self.canonical_map else self.canonical
            adj = build_adjacency(
                store.iter_values(SCAN_TYPES),
                meta,
                canonical=canonical,
                derived=self.derived,
                max_group=self.max_group,
                progress=progress,
            )
        finally:
            progress.end()
        adj.save(self.folder)
        self._adj = Adjacency.load(self.folder) or adj
        return self._stats(self._adj, time.perf_counter() - started)

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

    def _fingerprint(self) -> str:
        sources = sorted(
            (s.sha256, s.dataset, s.ingested_at, s.records) for s in self.store().sources()
        )
        version = self.canonical_version
        judged = version() if callable(version) else version
        payload = json.dumps([sources, self.options, judged], sort_keys=True).encode("utf-8")
        return hashlib.sha256(payload).hexdigest()
