"""One writer at a time: a second ingest waits its turn, saying so, instead of failing
with `database is locked`; the search index's own lock is waited for too."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

from threadline.app.workbench import Workbench
from threadline.search.document import IndexDocument
from threadline.search.tantivy_index import TantivyIndex
from threadline.store.lock import LOCK_FILE, WAITING

_CLI = [sys.executable, "-m", "threadline"]
BIG = 40_000  # enough for the first ingest to outlast the second's start-up


def _people(path: Path, prefix: str, count: int) -> Path:
    path.write_bytes(
        b"".join(
            orjson.dumps(
                {
                    "id": f"{prefix}-{i}",
                    "schema": "Person",
                    "properties": {"name": [f"{prefix.title()} Person {i}"]},
                }
            )
            + b"\n"
            for i in range(count)
        )
    )
    return path


def _ingest(data_dir: Path, path: Path, dataset: str, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    with log.open("wb") as out:
        return subprocess.Popen(
            [*_CLI, "--data-dir", str(data_dir), "ingest", str(path), "--dataset", dataset],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )


def _holder(lock: Path) -> int | None:
    """The pid holding a flock on `lock`, from /proc/locks (Linux)."""
    inode = lock.stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "FLOCK" in fields and fields[-3].endswith(f":{inode}"):
            return int(fields[4])
    return None


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
def test_two_ingests_at_once_take_turns(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    big = _people(tmp_path / "big.ijson", "alpha", BIG)
    small = _people(tmp_path / "small.ijson", "beta", 10)
    first = _ingest(data_dir, big, "big", tmp_path / "first.log")
    lock = data_dir / LOCK_FILE
    deadline = time.monotonic() + 60
    while not (lock.exists() and _holder(lock) == first.pid):
        assert first.poll() is None, (tmp_path / "first.log").read_text()
        assert time.monotonic() < deadline, "the first ingest never took the writer lock"
        time.sleep(0.01)
    second = _ingest(data_dir, small, "small", tmp_path / "second.log")
    assert first.wait(timeout=300) == 0, (tmp_path / "first.log").read_text()
    assert second.wait(timeout=300) == 0, (tmp_path / "second.log").read_text()
    said = (tmp_path / "second.log").read_text()
    assert WAITING in said
    assert "database is locked" not in said
    with Workbench(data_dir=data_dir) as bench:
        assert {d.name: d.entities for d in bench.datasets()} == {"big": BIG, "small": 10}
        assert bench.search("beta person", limit=20).total == 10
        assert bench.search("alpha person", limit=1).total == BIG


def test_a_writer_of_the_search_index_is_waited_for(tmp_path: Path) -> None:
    holder = TantivyIndex(tmp_path / "index")
    waiting = TantivyIndex(tmp_path / "index")  # no limit: waits while the lock is held
    doc = IndexDocument("x", "Person", ["Person"], "X", ["d"], [], ["X"], [], "x", "x", "x")
    writer = holder._writer()
    released = threading.Event()

    def release() -> None:
        time.sleep(0.5)
        writer.rollback()
        writer.wait_merging_threads()  # drops the writer and its lock
        released.set()

    thread = threading.Thread(target=release)
    thread.start()
    assert waiting.upsert([doc]) == 1
    thread.join()
    assert released.is_set()
    assert waiting.count() == 1
