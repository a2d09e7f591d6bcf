"""Fixtures for the ingest tests: a real workbench (SQLite store, tantivy index) in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from threadline.app.workbench import Workbench
from threadline.errors import IngestAborted, InputError
from threadline.model.provenance import SourceInfo
from threadline.settings import Settings
from threadline.store import DatasetStats

# The people every "nothing was written" test starts from, so "unchanged" means something.
SEED_LINES = [
    '{"id": "seed-anna", "schema": "Person", "properties": {"name": ["Anna Schmidt"]}}',
    '{"id": "seed-acme", "schema": "Company", "properties": {"name": ["ACME GmbH"]}}',
]


def _settings() -> Settings:
    # Explicit backends, so THREADLINE_* variables of whoever runs the tests don't leak in.
    return Settings(store="sqlite", store_url=None, search="tantivy")


@contextmanager
def open_bench(data_dir: Path) -> Iterator[Workbench]:
    """A workbench on a fresh data directory, closed afterwards."""
    with Workbench(_settings(), data_dir=data_dir) as bench:
        yield bench


@dataclass(frozen=True)
class StoreState:
    """Everything an ingest can change: statements, datasets, sources, index documents."""

    statements: int
    datasets: list[DatasetStats]
    sources: list[SourceInfo]
    documents: int

    def timeless(self) -> StoreState:
        """The state without `ingested_at`, which re-ingesting a source refreshes."""
        sources = [replace(s, ingested_at="") for s in self.sources]
        return replace(self, sources=sources)


def snapshot(bench: Workbench) -> StoreState:
    """The state of a workbench's store and index right now."""
    return StoreState(
        statements=bench.store.count_statements(),
        datasets=bench.datasets(),
        sources=bench.store.sources(),
        documents=bench.index.count(),
    )


@pytest.fixture(scope="session")
def bench_factory() -> Callable[[Path], Any]:
    """`open_bench`, for tests (Hypothesis ones) that need a fresh workbench per example."""
    return open_bench


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Workbench]:
    """An empty workbench in this test's tmp_path."""
    with open_bench(tmp_path / "data") as wb:
        yield wb


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A folder for the source files a test writes."""
    folder = tmp_path / "files"
    folder.mkdir()
    return folder


@pytest.fixture
def seeded(bench: Workbench, files: Path) -> Workbench:
    """A workbench that already holds a dataset "people" (statements and index docs)."""
    seed = files / "seed.ijson"
    seed.write_text("\n".join(SEED_LINES) + "\n", encoding="utf-8")
    bench.ingest([seed], "people")
    assert bench.store.count_statements() > 0
    assert bench.index.count() == 2
    return bench


@pytest.fixture(scope="session")
def state() -> Callable[[Workbench], StoreState]:
    """Take a snapshot of a workbench's store and index (stateless, so session-wide)."""
    return snapshot


@pytest.fixture
def ingest_error() -> Callable[..., InputError]:
    """Run `bench.ingest(...)`, expect it to fail, and return the underlying InputError.

    Checks that are made before writing raise the InputError itself; failures found
    while writing raise IngestAborted wrapping it. Either is a clear error; an
    IngestAborted must repeat the inner message and say nothing was written.
    """

    def run(
        bench: Workbench, paths: Sequence[Path], dataset: str | None = None, **kwargs: Any
    ) -> InputError:
        with pytest.raises((InputError, IngestAborted)) as info:
            bench.ingest(list(paths), dataset, **kwargs)
        exc = info.value
        if isinstance(exc, IngestAborted):
            assert str(exc) == f"{exc.error} (nothing from this file was written)"
            return exc.error
        assert isinstance(exc, InputError)
        return exc

    return run
