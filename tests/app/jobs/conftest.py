"""The job store on every database it runs on, so one contract holds for all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from threadline.app.jobs import JobStore

BACKENDS = ["sqlite-file", "sqlite-memory", "postgres"]


@pytest.fixture(params=BACKENDS)
def jobs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JobStore]:
    if request.param == "sqlite-file":
        store = JobStore(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    elif request.param == "sqlite-memory":
        store = JobStore("sqlite://")
    else:
        store = JobStore(request.getfixturevalue("postgres_url"))
    yield store
    store.close()
