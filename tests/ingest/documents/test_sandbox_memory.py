"""A child that runs out of memory in C code dies by a signal (abort, segfault)
instead of raising MemoryError; when it was at its memory limit, its document says it
ran out of memory, with the signal, rather than "crashed". A crash far from the limit
still says crashed (`documents.memory`)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from threadline.ingest.documents import kinds, sandbox
from threadline.ingest.documents.blob import Blob, hash_file
from threadline.ingest.documents.child import Request
from threadline.ingest.documents.extract import Extraction
from threadline.ingest.documents.kinds import Format, Handler
from threadline.ingest.documents.limits import DocumentLimits
from threadline.ingest.documents.memory import MemoryWatch
from threadline.ingest.limits import MIB

from .conftest import PoolWith
from .makers import write

pytestmark = pytest.mark.slow  # child processes on a loaded machine take seconds

if sys.platform != "linux":  # RLIMIT_AS and /proc
    pytest.skip("the memory limit is Linux's", allow_module_level=True)


def extract_greedyabort(ctx: Extraction, doc: object, blob: Blob) -> Iterator[object]:
    """Allocate address space until refused and hold it, then abort, as a C library
    that cannot allocate does. It waits a moment first: the parent notes the child's
    size four times a second (`sandbox._SAMPLE_SECONDS`), and a dead process's size
    is gone."""
    held = []
    for size in (8 * MIB, MIB, 64 * 1024):
        try:
            while True:
                held.append(bytes(size))  # calloc'd: address space, no memory touched
        except MemoryError:
            pass
    time.sleep(3)  # a dozen chances at 4 a second, on a loaded machine too
    os.abort()
    yield from ()


def extract_quickabort(ctx: Extraction, doc: object, blob: Blob) -> Iterator[object]:
    """Abort far from the memory limit, once the parent has had time to look."""
    time.sleep(1)
    os.abort()
    yield from ()


@dataclass(frozen=True)
class _Greedy(Format):
    def handler(self) -> Handler:
        found: Handler = globals()[self.function]
        return found


def register() -> None:
    """Add this test's formats to an extraction process's format table."""
    for name in ("greedyabort", "quickabort"):
        fmt = _Greedy(name, "Document", "application/x-hostile", "", f"extract_{name}")
        kinds._BY_SUFFIX[f".{name}"] = fmt


@pytest.fixture
def pool(pool_with: PoolWith) -> sandbox.Pool:
    return pool_with(register)


def _extract(path: Path, pool: sandbox.Pool) -> tuple[str, list[str]]:
    now = time.monotonic()
    limits = DocumentLimits(max_memory_bytes=64 * MIB)
    request = Request(str(path), path.name, hash_file(path), limits, now + 120, 120, now + 120)
    outcome = sandbox.Outcome()
    (entity,) = sandbox.extract(request, outcome, pool)
    assert entity["properties"]["processingStatus"] == ["failure"]
    return entity["properties"]["processingError"][0], [p.message for p in outcome.failures]


def test_an_abort_at_the_memory_limit_says_memory(tmp_path: Path, pool: sandbox.Pool) -> None:
    path = write(tmp_path, "big.greedyabort", b"x")
    message, failures = _extract(path, pool)
    assert message == (
        "extraction was stopped: it used more than 64 MiB of memory (the extracting "
        "process died at its memory limit: signal 6, SIGABRT)"
    )
    assert failures == [message]


def test_an_abort_far_from_the_limit_is_a_crash(tmp_path: Path, pool: sandbox.Pool) -> None:
    path = write(tmp_path, "small.quickabort", b"x")
    message, _ = _extract(path, pool)
    assert message == "extraction was stopped: the extracting process crashed (signal 6, SIGABRT)"


def test_a_watch_without_a_process_knows_no_limit() -> None:
    watch = MemoryWatch()
    watch.start(None)
    watch.sample()
    assert watch.limit == 0
    assert not watch.ran_out(6, DocumentLimits())
