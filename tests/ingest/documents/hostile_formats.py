"""Test-only formats whose extraction misbehaves on purpose: it allocates past the
memory limit, hangs, spins, kills its process, or calls home. `register` adds them to the
format table of a sandbox child (as a `sandbox.Pool`'s prepare hook), so they exist
only in the test's own extraction processes: no user's file name reaches them."""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

from followthemoney.proxy import EntityProxy

from threadline.ingest.documents import kinds
from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.extract import Extraction
from threadline.ingest.documents.kinds import Format, Handler


@dataclass(frozen=True)
class Hostile(Format):
    """A format whose extractor is a function of this module."""

    def handler(self) -> Handler:
        found: Handler = getattr(sys.modules[__name__], self.function)
        return found


def extract_greedy(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """Allocate address space (calloc'd, so no memory is touched) until refused."""
    held = []
    while True:
        held.append(bytes(max(ctx.limits.max_memory_bytes // 8, 1 << 20)))
        yield from ()


def extract_hang(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """Wait for ever without using the processor (a parser stuck on a lock)."""
    time.sleep(3600)
    yield from ()


def extract_spin(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """Loop for ever without looking at the clock (a parser in a cycle)."""
    while True:
        pass
    yield from ()


def extract_segfault(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """Die as a parser in C does on a bad pointer."""
    os.kill(os.getpid(), signal.SIGSEGV)
    yield from ()


def extract_abort(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """Die as a C library does when an assertion fails."""
    os.abort()
    yield from ()


def extract_dial(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """Call home: connect to the port the file names (a test's listener on loopback) and
    write what happened into the document's text."""
    port = int(blob.read(ctx.limits).decode().strip())
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            doc.add("bodyText", "connected")
    except OSError as refused:
        doc.add("bodyText", f"refused: {type(refused).__name__}")
    yield from ()


FORMATS = {
    f".{name}": Hostile(name, "Document", "application/x-hostile", "", f"extract_{name}")
    for name in ("greedy", "hang", "spin", "segfault", "abort", "dial")
}


def register() -> None:
    """Add the hostile formats to this process's format table."""
    kinds._BY_SUFFIX.update(FORMATS)
