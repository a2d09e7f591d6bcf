"""Extraction of each document file in a child process, so that a file which exhausts
memory, spins, or crashes its parser fails as a document instead of taking the
ingest (or the server running it) down with it.

The child (`documents.child`) works under an address-space limit (RLIMIT_AS) and a
CPU-time limit (RLIMIT_CPU); the parent kills it when the file's wall-clock time is
up. Entities stream back as they are found and are kept; the documents still open
when a child dies (the file's own, and the member being read) become failures that
say why. Children are reused from file to file while they stay healthy: starting
one costs its imports, a file costs a few messages.

A file may be sent before its entities are wanted (`start`, then `collect`; see
`documents.ahead`): the child extracts it while the parent stores the previous one,
and what it finds waits in the socket's buffer. Time the child spends waiting for
the parent to begin reading does not count against the file's time (`child`).
"""

from __future__ import annotations

import ctypes
import math
import multiprocessing
import select
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from followthemoney import model

from threadline.ingest.documents import child as child_process
from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.child import Finished, Request
from threadline.ingest.documents.entities import FAILURE, new_document
from threadline.ingest.documents.extract import Problem, memory_stop
from threadline.ingest.documents.kinds import detect, mime_of
from threadline.ingest.documents.memory import MemoryWatch
from threadline.ingest.documents.preload import main_imports
from threadline.processes import processes_allowed

Entity = dict[str, Any]  # an FtM entity as `to_dict()` gives it

REUSE_SECONDS = child_process.IDLE_SECONDS - 15  # see `child.IDLE_SECONDS`
_SAMPLE_SECONDS = 0.25  # how often the parent notes a working child's memory
_FILES_PER_CHILD = 1_000  # then a fresh process: nothing one file left behind lingers
# Times a file is sent again after reading a scanned page ended its child, each time
# with that page failed (`collect`); past that, the file fails as before.
_SCAN_RETRIES = 3
_STOPPED = "extraction was stopped: "  # how a child's death begins (`_Child.death`)
# Children kept waiting for the next file: one per ingest thread, plus those a folder's
# ingest keeps extracting ahead of it (`ahead.AHEAD`).
_KEEP_IDLE = 3


def available() -> bool:
    """Whether files can be extracted in child processes here (not on Windows, not in
    a worker process, not from a script without a `__main__` guard)."""
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" in methods and processes_allowed()


@dataclass
class _Child:
    """One extraction process and the parent's end of its pipe."""

    process: BaseProcess
    conn: Connection
    # When the parent began reading the file this child was sent (time.monotonic(),
    # system-wide), 0.0 while it has not: the child does not count time it spends
    # blocked on a full socket before then against the file (`child.serve`).
    reading: ctypes.c_double
    idle_since: float = 0.0
    files: int = 0
    memory: MemoryWatch = field(default_factory=MemoryWatch)
    _poller: select.poll | None = None

    @classmethod
    def start(cls, prepare: Callable[[], None] | None) -> _Child:
        # forkserver, as ingest.parallel: the parent may hold threads (tantivy,
        # SQLite, a server's requests) that a forked child must not inherit.
        context = multiprocessing.get_context("forkserver")
        # The forkserver imports the child's modules once, if it is not running yet,
        # so each child starts with them (a second instead of three of imports).
        context.set_forkserver_preload(["__main__", *main_imports(), child_process.__name__])
        ours, theirs = context.Pipe()
        child_process.widen(ours, socket.SO_RCVBUF)
        reading = context.RawValue(ctypes.c_double, 0.0)
        process = context.Process(
            target=child_process.serve,
            args=(theirs, prepare, reading),
            name="threadline-extract",
            daemon=True,  # ended with the parent, and may not start processes of its own
        )
        process.start()
        theirs.close()  # the child holds it: its death is then end-of-file here
        return cls(process, ours, reading)

    def ready(self, seconds: float) -> bool:
        """Whether a message (or end-of-file) waits on the pipe, after up to `seconds`.

        One poll object per child: `Connection.poll` builds a selector on every call,
        which costs more than reading a page's message."""
        if self._poller is None:
            self._poller = select.poll()
            self._poller.register(self.conn.fileno(), select.POLLIN)
        return bool(self._poller.poll(max(0, math.ceil(seconds * 1000))))

    def reusable(self) -> bool:
        fresh = time.monotonic() - self.idle_since < REUSE_SECONDS
        return fresh and self.files < _FILES_PER_CHILD and self.process.is_alive()

    def stop(self) -> None:
        self.conn.close()
        if self.process.exitcode is None:
            self.process.kill()
        self.process.join()
        self.process.close()

    def death(self, request: Request) -> str:
        """Why the child ended before the file was done (its pipe closed)."""
        self.process.join(5)
        code = self.process.exitcode
        if code is None:
            return "extraction was stopped: the extracting process stopped answering"
        if code == child_process.OUT_OF_MEMORY:
            return memory_stop(request.limits)
        if code < 0 and -code == signal.SIGXCPU:
            return (
                f"extraction was stopped: it took longer than {request.seconds:,.0f} s of "
                "processor time"
            )
        if code < 0:
            try:
                name = f", {signal.Signals(-code).name}"
            except ValueError:
                name = ""
            if self.memory.ran_out(-code, request.limits):
                return (
                    f"{memory_stop(request.limits)} (the extracting process died at its "
                    f"memory limit: signal {-code}{name})"
                )
            return f"extraction was stopped: the extracting process crashed (signal {-code}{name})"
        return f"extraction was stopped: the extracting process exited with status {code}"


class Pool:
    """Extraction processes waiting for the next file. `prepare` runs in each new one
    (a test registers its hostile formats there; nothing a user gives reaches it)."""

    def __init__(self, prepare: Callable[[], None] | None = None) -> None:
        self.prepare = prepare
        self._idle: list[_Child] = []
        self._lock = threading.Lock()

    def take(self) -> _Child:
        """An idle child still fit to work, else a new one."""
        with self._lock:
            while self._idle:
                found = self._idle.pop()
                if found.reusable():
                    return found
                found.stop()
        return _Child.start(self.prepare)

    def give(self, done: _Child) -> None:
        """A child back after a file it finished."""
        done.files += 1
        done.idle_since = time.monotonic()
        with self._lock:
            if len(self._idle) < _KEEP_IDLE and done.reusable():
                self._idle.append(done)
                return
        done.stop()

    def close(self) -> None:
        """Stop the idle children."""
        with self._lock:
            idle, self._idle = self._idle, []
        for each in idle:
            each.stop()


POOL = Pool()


@dataclass
class Outcome:
    """The documents of a file that failed, and the notices about the others."""

    failures: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


@dataclass(eq=False)
class Running:
    """A file sent to a child (or that could not be), whose entities are to be read."""

    request: Request
    worker: _Child
    pool: Pool
    sent: float  # time.monotonic() when it was sent
    stopped: str | None = None  # why it failed before anything was read
    ended: bool = False  # read to the end, or abandoned: the child is back or stopped

    def abandon(self) -> None:
        """Stop the child of a file that will not be read (its ingest ended first)."""
        if not self.ended:
            self.ended = True
            self.worker.stop()


def start(request: Request, pool: Pool | None = None, now: bool = True) -> Running:
    """Send the file to a child. `now`: its entities are read at once (`collect`
    follows); otherwise it is extracted ahead, and its time counts from when
    `collect` begins to read it, not while its child waits for that."""
    pool = pool or POOL
    worker = pool.take()
    worker.memory.start(worker.process.pid)
    sent = time.monotonic()
    worker.reading.value = sent if now else 0.0
    return Running(request, worker, pool, sent, _send(worker, request))


def collect(running: Running, outcome: Outcome) -> Iterator[Entity]:
    """The file's entities as the child finds them (its document last), then, if the
    child died or ran out of time, the documents it left open, failed.

    A child that died reading a scanned page by OCR (libtesseract aborts when it runs
    out of memory) is followed by a fresh one, sent the file again with that page
    failed: the page fails alone, and what was already read is not sent twice."""
    request, worker = running.request, running.worker
    begun = time.monotonic()
    if not worker.reading.value:
        worker.reading.value = begun
    # A file extracted ahead is killed as late after the parent began to read it as
    # one sent then would be: its child's own clock stopped while it waited.
    stop_at = max(request.stop_at, begun + request.stop_at - running.sent)
    opened: dict[str, tuple[str, Entity]] = {}  # id: (where, entity as it started)
    scanning: tuple[str, int] | None = None  # (document id, page) being read by OCR
    given: set[str] = set()  # ids already yielded, not yielded again after a retry
    finished = False
    stopped = running.stopped
    try:
        while stopped is None:
            remaining = stop_at - time.monotonic()
            if remaining <= 0:
                stopped = f"extraction was stopped: it took longer than {request.seconds:,.0f} s"
                break
            if time.monotonic() - worker.memory.sampled >= _SAMPLE_SECONDS:
                worker.memory.sample()
            if not worker.ready(min(remaining, _SAMPLE_SECONDS)):
                continue
            try:
                kind, body = worker.conn.recv()
            except (EOFError, ConnectionResetError):  # reset: it died before reading
                stopped = worker.death(request)
                if scanning is None or not _retry(worker, request):
                    break
                worker.stop()
                request = _without_scan(request, scanning, stopped)
                worker = running.worker = running.pool.take()
                worker.memory.start(worker.process.pid)
                worker.reading.value = time.monotonic()
                opened, scanning = {}, None
                stopped = _send(worker, request)
                continue
            if kind == "open":
                where, entity = body
                opened[entity["id"]] = (where, entity)
            elif kind == "scan":
                scanning = body
            elif kind == "entity":
                scanning = None
                opened.pop(body["id"], None)
                if request.failed_scans and body["id"] in given:
                    continue  # sent before the retry
                given.add(body["id"])
                yield body
            else:
                done: Finished = body
                outcome.failures += done.failures
                outcome.notices += done.notices
                finished = not done.worn
                return
        if not opened:  # it died before it began: the file's document, from here
            opened[""] = (request.path, _top_document(request))
        for where, entity in reversed(opened.values()):  # the innermost first
            yield _failed(entity, where, stopped, outcome)
    finally:
        running.ended = True
        if finished:
            running.pool.give(worker)
        else:
            worker.stop()


def _retry(worker: _Child, request: Request) -> bool:
    """Whether a child that died reading a scan by OCR is followed by another: not
    at the file's processor-time limit (the file's, not the page's), and not if the
    file was sent again too often already."""
    if len(request.failed_scans) >= _SCAN_RETRIES:
        return False
    return worker.process.exitcode != -signal.SIGXCPU


def _without_scan(request: Request, scanning: tuple[str, int], stopped: str) -> Request:
    """The file's request again, with the scanned page whose OCR ended its child failed."""
    document, page = scanning
    why = f"reading its scan by OCR failed: {stopped.removeprefix(_STOPPED)}"
    return replace(request, failed_scans=(*request.failed_scans, (document, page, why)))


def extract(request: Request, outcome: Outcome, pool: Pool | None = None) -> Iterator[Entity]:
    """The file's entities, extracted now: `start`, then `collect`."""
    yield from collect(start(request, pool), outcome)


def _send(worker: _Child, request: Request) -> str | None:
    try:
        worker.conn.send(request)
    except OSError:  # it died while idle
        return worker.death(request)
    return None


def _failed(entity: Entity, where: str, message: str, outcome: Outcome) -> Entity:
    proxy = model.get_proxy(entity, cleaned=False)
    proxy.set("processingStatus", FAILURE)
    proxy.add("processingError", message)
    outcome.failures.append(Problem(where, message, str(proxy.id)))
    return proxy.to_dict()


def _top_document(request: Request) -> Entity:
    """The file's document as extraction would have begun it."""
    path = Path(request.path)
    blob = Blob(path.name, request.shown, path)
    blob.__dict__["sha256"] = request.sha256
    fmt = detect(blob)
    return new_document(fmt.schema, blob, None, mime_of(fmt, blob)).to_dict()
