"""The child process that extracts document files for `sandbox`: one file at a time,
under an address-space and a CPU-time limit and without network, streaming what it
finds to its parent.

It is started from the forkserver (a fresh interpreter, not a fork of a parent that
may hold threads), so pdfium's lock and every other module state are its own; it
runs one extraction at a time in its main thread, OCR included.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from followthemoney.proxy import EntityProxy

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.extract import Extraction, Problem
from threadline.ingest.documents.limits import DocumentLimits
from threadline.ingest.documents.ocr import OcrOptions
from threadline.ingest.documents.offline import go_offline

# The exit status of a child that ran out of memory outside a document's extraction
# (while sending what it found): the parent reports the memory limit, not a crash.
OUT_OF_MEMORY = 75
# A child with no file to extract for this long exits; the parent reuses one only if
# it has been idle for less (`sandbox.REUSE_SECONDS`), so it never sends to one exiting.
IDLE_SECONDS = 60.0
# Bytes the kernel may buffer between a child and its parent (capped by the system's
# net.core.wmem_max): what a child extracting ahead finds waits there, not in memory.
BUFFER_BYTES = 4 << 20
# A send that took longer than this waited for the parent to read (a full socket).
_BLOCKED_SECONDS = 0.005


@dataclass(frozen=True)
class Request:
    """One top-level file to extract, and what it may use."""

    path: str  # on disk; also the label problems name it by
    shown: str  # as recorded (relative to the folder it was found in)
    sha256: str  # already hashed by the caller
    limits: DocumentLimits
    ends: float  # time.monotonic() by which extraction stops itself (system-wide clock)
    seconds: float  # processor time it may use (from the file's start)
    stop_at: float  # time.monotonic() at which the parent kills it
    ocr: OcrOptions | None = None
    # Scanned pages not to read again, as (document id, page number, why): reading them
    # ended an extraction process before (`sandbox.collect` then sends the file again).
    failed_scans: tuple[tuple[str, int, str], ...] = ()


@dataclass(frozen=True)
class Finished:
    """The last message of a file extracted to the end."""

    failures: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    worn: bool = False  # it ran out of memory once: this process exits, a fresh one follows


def serve(
    conn: Connection,
    prepare: Callable[[], None] | None = None,
    reading: ctypes.c_double | None = None,
) -> None:
    """Extract the files the parent sends until it goes away or is idle too long.

    Messages to the parent: ("open", (where, entity)) as each document starts,
    ("scan", (document id, page number)) before a scanned page is read by OCR,
    ("entity", entity) as each is done (FtM dicts), then ("done", Finished).
    `prepare` runs once first (tests register formats with it). `reading` is when
    the parent began reading the current file (0.0: not yet, it was sent ahead).
    """
    # Ctrl-C is the parent's to handle (it stops this child); no core file of a
    # crashed parser is left in the working directory.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _no_core_files()
    go_offline()  # a parser of untrusted files has no network (`offline`)
    if prepare is not None:
        prepare()
    widen(conn, socket.SO_SNDBUF)
    try:
        while conn.poll(IDLE_SECONDS):
            if not _extract(conn, conn.recv(), reading):
                return
    except (EOFError, OSError):
        return  # the parent has gone (its end of the pipe closed)
    except MemoryError:
        os._exit(OUT_OF_MEMORY)


def _extract(conn: Connection, request: Request, reading: ctypes.c_double | None = None) -> bool:
    """Extract one file, sending its entities; whether this process may take another."""
    _confine(request)

    def send(message: tuple[str, Any]) -> None:
        before = time.monotonic()
        conn.send(message)
        after = time.monotonic()
        if reading is not None and ctx.ends is not None and after - before > _BLOCKED_SECONDS:
            # Blocked on a full socket before the parent came for this file (it was
            # sent ahead): that wait is the parent's, not the file's time.
            begun = reading.value
            waited_until = after if not begun or begun > after else max(before, begun)
            ctx.ends += waited_until - before

    def opened(blob: Blob, doc: EntityProxy) -> None:
        send(("open", (ctx.where(blob), doc.to_dict())))

    def scanning(doc: EntityProxy, number: int) -> None:
        send(("scan", (str(doc.id), number)))

    ctx = Extraction(
        request.path,
        request.limits,
        request.ends,
        ocr=request.ocr,
        on_open=opened,
        on_scan=scanning,
        failed_scans={(doc, number): why for doc, number, why in request.failed_scans},
        confined=True,
    )
    path = Path(request.path)
    blob = Blob(path.name, request.shown, path)
    blob.__dict__["sha256"] = request.sha256  # already hashed: a cached_property's slot
    for entity in ctx.document(blob):
        send(("entity", entity.to_dict()))
    conn.send(("done", Finished(ctx.failures, ctx.notices, ctx.out_of_memory)))
    return not ctx.out_of_memory


def widen(conn: Connection, option: int) -> None:
    """Let the kernel buffer up to `BUFFER_BYTES` on this end of a socket pair."""
    try:
        with socket.socket(fileno=conn.fileno()) as sock:
            try:
                sock.setsockopt(socket.SOL_SOCKET, option, BUFFER_BYTES)
            finally:
                sock.detach()  # the connection still owns the descriptor
    except OSError:
        pass  # not a socket (a pipe elsewhere): its default buffer will do


def _no_core_files() -> None:
    if sys.platform == "win32":
        return
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _confine(request: Request) -> None:
    """Limit the address space this file may add and the processor time it may use.

    Soft limits only, set afresh for each file (an unprivileged process cannot raise
    a hard limit again). Past the CPU limit the kernel sends SIGXCPU, whose default
    action ends the process: a parser spinning in C code stops too.
    """
    if sys.platform == "win32":
        return
    import resource

    memory = request.limits.max_memory_bytes
    used = _address_space()
    if memory > 0 and used >= 0:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = used + memory
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(usage.ru_utime + usage.ru_stime + request.seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        cpu = min(cpu, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))


def _address_space() -> int:
    """Bytes of address space this process uses now; -1 without /proc (macOS, which
    does not enforce RLIMIT_AS anyway)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return -1
