"""A folder's next document files are extracted while the ingest stores the previous
one (`documents.ahead`, issue 14): the same entities, no file failed for the time it
waited for the ingest to come for it, and no child left extracting a file that will
not be read."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import Any

import pytest

from threadline.demo.pdf import pdf_document
from threadline.ingest.documents import ahead, sandbox
from threadline.ingest.limits import Limits
from threadline.ingest.pipeline import IngestOptions, Plan, plan_file

from .buffers import small_buffer
from .conftest import PoolWith
from .makers import pdf_bytes, write

pytestmark = pytest.mark.slow  # child processes on a loaded machine take seconds


@pytest.fixture
def pool(pool_with: PoolWith) -> sandbox.Pool:
    """Extraction processes with the smallest socket buffer (`buffers`)."""
    return pool_with(small_buffer)


def _plans(paths: list[Path], limits: Limits | None = None) -> list[Plan]:
    options = IngestOptions(dataset="leak", limits=limits or Limits())
    return [plan_file(p, options, p.name) for p in paths]


def _read(plan: Plan) -> list[dict[str, Any]]:
    return [entity for _, entity in plan.parts[0].read(None, lambda size: None)]


def _noted() -> list[ahead.Planned]:
    return [p for p in (r() for r in ahead._THREAD.plans.planned) if p is not None]


def _texts(entities: list[dict[str, Any]]) -> list[str]:
    return [t for e in entities for t in e["properties"].get("bodyText", [])]


def test_the_next_file_is_extracted_ahead_and_reads_the_same(
    tmp_path: Path, pool: sandbox.Pool
) -> None:
    paths = [
        write(tmp_path, f"{name}.pdf", pdf_bytes([f"First page of {name}", f"Then {name}"]))
        for name in ("a", "b", "c")
    ]
    plans = _plans(paths)
    noted = _noted()[-3:]
    assert all(p.slot.running is None for p in noted)

    first = _read(plans[0])
    assert noted[1].slot.running is not None  # sent while the first was read
    second = _read(plans[1])
    assert noted[1].slot.running is None  # taken by its read

    assert _texts(first) == ["First page of a", "Then a"]
    assert _texts(second) == ["First page of b", "Then b"]
    assert _texts(_read(plans[2])) == ["First page of c", "Then c"]
    assert not any(p.failed for p in plans)


def test_a_file_read_late_is_not_failed_for_the_time_it_waited(
    tmp_path: Path, pool: sandbox.Pool
) -> None:
    # Stop at 4.8 s, kill at 5.4 s; the second file's pages do not fit the socket's
    # buffer, so its child waits for the ingest, which comes for it after 7 s.
    limits = Limits(base_seconds=6)
    lines = [[f"Line {i} of page {p}, a few words long" for i in range(60)] for p in range(20)]
    paths = [
        write(tmp_path, "a.pdf", pdf_bytes(["Small"])),
        write(tmp_path, "b.pdf", pdf_document(lines)),
    ]
    plans = _plans(paths, limits)
    _read(plans[0])
    time.sleep(7)
    late = _read(plans[1])

    assert not plans[1].failed
    assert [e["schema"] for e in late].count("Page") == 20
    (doc,) = [e for e in late if e["schema"] == "Pages"]
    assert doc["properties"]["processingStatus"] == ["success"]


def test_a_file_sent_ahead_and_never_read_has_its_child_stopped(
    tmp_path: Path, pool: sandbox.Pool
) -> None:
    paths = [write(tmp_path, f"{name}.pdf", pdf_bytes([name])) for name in ("a", "b", "c", "d")]
    plans = _plans(paths)
    noted = _noted()[-4:]
    _read(plans[0])
    skipped = noted[1].slot.running
    assert skipped is not None
    _read(plans[2])  # the second was skipped (as done): its extraction is stopped
    assert skipped.ended and noted[1].slot.running is None

    left = noted[3].slot.running  # sent ahead of the third, never read
    assert left is not None
    pid = left.worker.process.pid
    assert pid is not None
    del plans, noted
    gc.collect()
    assert left.ended
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_copy_of_a_file_already_planned_is_not_extracted_ahead(
    tmp_path: Path, pool: sandbox.Pool
) -> None:
    data = pdf_bytes(["The same bytes"])
    paths = [write(tmp_path, "a.pdf", data), write(tmp_path, "b.pdf", data)]
    plans = _plans(paths)
    noted = _noted()[-2:]
    _read(plans[0])
    assert noted[1].slot.running is None
    assert _texts(_read(plans[1])) == ["The same bytes"]
