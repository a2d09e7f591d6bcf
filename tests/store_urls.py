"""The SQL backends every store contract runs on: a SQLite file, SQLite in memory and
PostgreSQL (a fresh database on the session's real server). A conftest imports
`store_url` to give its package's store tests the three."""

from __future__ import annotations

from pathlib import Path

import pytest

BACKENDS = ["sqlite-file", "sqlite-memory", "postgres"]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database of each backend in turn."""
    if request.param == "sqlite-file":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    if request.param == "sqlite-memory":
        return "sqlite://"
    url: str = request.getfixturevalue("postgres_url")
    return url
