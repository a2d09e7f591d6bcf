"""Shared fixtures: a real Workbench (SQLite store, tantivy index) in a temporary folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.postgres_server import fresh_database, postgres_server
from threadline.app.workbench import Workbench

# pytest-xdist workers export COLUMNS=80, and Rich fixes a console's width from COLUMNS
# when the console is made (at import); without it, the width is read at each use, so
# the CLI runner's own COLUMNS applies whatever order tests run in.
os.environ.pop("COLUMNS", None)


def write_entities(path: Path, entities: list[dict[str, Any]]) -> Path:
    """Write FtM entities as JSON lines."""
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entities))
    return path


def entity(entity_id: str, schema: str, **props: Any) -> dict[str, Any]:
    """An FtM entity dict; property values may be strings or lists."""
    properties = {k: v if isinstance(v, list) else [v] for k, v in props.items()}
    return {"id": entity_id, "schema": schema, "properties": properties}


@pytest.fixture(scope="session")
def postgres_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real PostgreSQL server for this test session (see tests/postgres_server.py)."""
    if own := os.environ.get("THREADLINE_TEST_POSTGRES_URL"):
        yield own
        return
    # Not under pytest's temporary tree: another pytest run on the machine prunes old
    # runs' folders there, and a server whose data folder is deleted dies mid-session.
    folder = Path(tempfile.mkdtemp(prefix="threadline-postgres-"))
    try:
        with postgres_server(folder) as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server_url: str) -> str:
    """A new, empty database on the session's PostgreSQL server."""
    return fresh_database(postgres_server_url)


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Workbench]:
    """An empty workbench with its own data directory."""
    with Workbench(data_dir=tmp_path / "data") as workbench:
        yield workbench


@pytest.fixture(scope="session")
def full_demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the full-size demo ingested, built once per session; use
    `copy_of_full_demo` to get one of your own (the copy takes a second, a build 30)."""
    data_dir = tmp_path_factory.mktemp("full-demo") / "data"
    with Workbench(data_dir=data_dir) as bench:
        bench.demo(scale=1.0)
    return data_dir


def copy_of_full_demo(full_demo_dir: Path, target: Path) -> Path:
    """A private copy of the session's full demo data directory, at `target`."""
    shutil.copytree(full_demo_dir, target, symlinks=True)
    return target
