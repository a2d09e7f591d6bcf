"""The access store backends every contract test runs against."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from threadline.access.memory import MemoryAccessStore
from threadline.access.sql import SQLAccessStore
from threadline.access.store import AccessStore

BACKENDS = ["memory", "sqlite-file", "postgres"]


def open_backend(kind: str, tmp_path: Path) -> AccessStore:
    """A fresh, empty access store of the given kind."""
    if kind == "memory":
        return MemoryAccessStore()
    if kind == "sqlite-file":
        return SQLAccessStore(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    return SQLAccessStore("sqlite://")


@pytest.fixture(params=BACKENDS)
def access(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AccessStore]:
    if request.param == "postgres":
        store: AccessStore = SQLAccessStore(request.getfixturevalue("postgres_url"))
    else:
        store = open_backend(request.param, tmp_path)
    yield store
    store.close()
