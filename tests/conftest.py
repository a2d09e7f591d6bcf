"""Shared fixtures: a real Workbench (SQLite store, tantivy index) in a temporary folder."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
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

# The files that take longest in CI (its --durations), longest first. pytest-xdist
# (`--dist loadfile`) hands the next file to whichever worker runs out of work; a long
# file handed out last keeps one worker busy long after the other has finished, so
# these go first. The others follow with the most tests first (xdist's own order).
# test_demo_story.py builds the shared full-size demo (`full_demo_dir`, ~40 s) early;
# the other files that read the demo (test_demo_graph.py, quick once it exists) are
# not listed, so they come long after it is built: listed next to it, they started at
# the same time on the other worker, which then sat waiting on the build's lock.
LONGEST_FIRST = (
    "tests/store/test_crash.py",
    "tests/engines/test_dialects.py",
    "tests/accountability/test_matrix.py",
    "tests/demo/test_demo_story.py",
    "tests/api/test_schema.py",
    "tests/ingest/test_hostile_corpus.py",
    "tests/app/jobs/test_server.py",
)


def pytest_configure(config: pytest.Config) -> None:
    # xdist would sort the files by their number of tests; keep the order made below.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    files = [item.nodeid.split("::")[0] for item in items]
    counts = Counter(files)
    first = {name: index for index, name in reversed(list(enumerate(files)))}
    ranks = {name: LONGEST_FIRST.index(name) for name in counts if name in LONGEST_FIRST}
    order = {
        name: (ranks.get(name, len(LONGEST_FIRST)), -counts[name], first[name]) for name in counts
    }
    # A file's own tests keep their order (the sort is stable).
    items.sort(key=lambda item: order[item.nodeid.split("::")[0]])


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


def _run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this whole pytest run: under pytest-xdist, the folder
    that holds every worker's own (the workers' fixtures can share what is built
    there); in one process, the process's own."""
    own = tmp_path_factory.getbasetemp()
    return own.parent if os.environ.get("PYTEST_XDIST_WORKER") else own


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """The data directory `name` of this test run, built by `build` in whichever worker
    asks first; the others wait for it (a file lock) and use the same one. Only ever
    copy it: a workbench open on it (even one that only reads) would change its files
    while another worker copies them."""
    folder = _run_root(tmp_path_factory) / name
    data_dir = folder / "data"
    done = folder / "built"
    folder.mkdir(exist_ok=True)
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(data_dir, ignore_errors=True)  # a build that failed half-way
            build(data_dir)
            done.touch()
    return data_dir


def _demo(data_dir: Path) -> None:
    with Workbench(data_dir=data_dir) as bench:
        bench.demo(scale=1.0)


def _shared_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_once(tmp_path_factory, "full-demo", _demo)


@pytest.fixture(scope="session")
def full_demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the full-size demo ingested, this worker's own copy of
    one built once per test run; use `copy_of_full_demo` to get one of your own (the
    copy takes a second, a build 30)."""
    target = tmp_path_factory.mktemp("full-demo") / "data"
    return copy_of_full_demo(_shared_demo(tmp_path_factory), target)


@pytest.fixture(scope="session")
def resolved_demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full-size demo after `resolve` (the README's step 8), built once per test
    run; copy it (`copy_of_full_demo`) before use: it is shared by every worker."""
    demo = _shared_demo(tmp_path_factory)

    def build(data_dir: Path) -> None:
        with Workbench(data_dir=copy_of_full_demo(demo, data_dir)) as bench:
            bench.resolve()

    return built_once(tmp_path_factory, "resolved-demo", build)


def copy_of_full_demo(full_demo_dir: Path, target: Path) -> Path:
    """A private copy of a demo data directory (`full_demo_dir`, `resolved_demo_dir`),
    at `target`."""
    shutil.copytree(full_demo_dir, target, symlinks=True)
    return target
