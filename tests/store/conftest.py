"""The store fixture: every backend, so one contract holds for all of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from threadline.store.base import Store
from threadline.store.memory import MemoryStore
from threadline.store.sql import SQLStore

BACKENDS = ["memory", "sqlite-file", "sqlite-memory", "postgres"]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    backend: Store
    if request.param == "memory":
        backend = MemoryStore()
    elif request.param == "sqlite-file":
        backend = SQLStore(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    elif request.param == "sqlite-memory":
        backend = SQLStore("sqlite://")
    else:
        backend = SQLStore(request.getfixturevalue("postgres_url"))
    yield backend
    backend.close()
