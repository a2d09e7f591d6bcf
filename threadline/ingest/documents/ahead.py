"""Extraction ahead of the ingest: while the ingesting process stores one document
file's statements and indexes its pages, the next files of the same ingest are
already being extracted in other child processes.

A folder's files are planned first, in order, then read one by one (`Workbench.ingest`).
Each document file planned in a thread is noted here (`note`); when one is read
(`entities`), the next `AHEAD` files planned after it in that thread are sent to
children (`sandbox.start`), and its own entities come from the child it was sent to
earlier, if it was. What a child extracting ahead finds waits in its socket's buffer,
bounded by the kernel (`child.BUFFER_BYTES`); a child that fills it waits, and that
wait does not count against its file's time.

Nothing changes in what is stored: each file is still read, converted and written in
its own turn and transaction, and its entities arrive in the order the child found
them. A file sent ahead that is never read (an ingest that stopped, a file skipped as
already done) has its child stopped: when a later file is read, or when its plan is
dropped.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from threadline.ingest.documents import sandbox
from threadline.ingest.documents.child import Request

# Files sent ahead of the one being read: one per spare core, at most three (each child
# holds ~150 MiB; on two cores one child extracts ahead while the ingest stores).
AHEAD = max(1, min((os.cpu_count() or 2) - 1, 3))


@dataclass(eq=False)
class Slot:
    """A planned file's extraction sent ahead, if it was; apart from `Planned` so
    that dropping the plan can stop its child (`weakref.finalize`)."""

    running: sandbox.Running | None = None

    def release(self) -> None:
        """Stop the child of a file sent ahead and never read."""
        running, self.running = self.running, None
        if running is not None:
            _unwatch(running)
            running.abandon()


@dataclass(eq=False)
class Planned:
    """A document file planned for ingest, and how to ask for its extraction."""

    sha256: str
    request: Callable[[], Request]  # the request, with its time counted from now
    slot: Slot = field(default_factory=Slot)
    read: bool = False
    plans: _Plans | None = None  # the plans it was noted in, at `at`
    at: int = 0

    def start(self, now: bool) -> sandbox.Running:
        return sandbox.start(self.request(), now=now)


@dataclass(eq=False)
class _Plans:
    """The document files planned one after another in a thread (one ingest's, as a
    rule): weakly held, so an ingest's plans go when it is done."""

    planned: list[weakref.ref[Planned]] = field(default_factory=list)
    first: dict[str, int] = field(default_factory=dict)  # sha256: where first planned
    ahead: set[int] = field(default_factory=set)  # where files were sent ahead

    def ended(self) -> bool:
        """Whether the last file planned is gone (its ingest is over)."""
        return bool(self.planned) and self.planned[-1]() is None

    def get(self, at: int) -> Planned | None:
        return self.planned[at]() if 0 <= at < len(self.planned) else None


class _Thread(threading.local):
    def __init__(self) -> None:
        self.plans = _Plans()


_THREAD = _Thread()


def note(planned: Planned) -> Planned:
    """Note a file planned in this thread, after those planned before it."""
    if _THREAD.plans.ended():
        _THREAD.plans = _Plans()
    plans = _THREAD.plans
    weakref.finalize(planned, planned.slot.release)
    planned.plans, planned.at = plans, len(plans.planned)
    plans.planned.append(weakref.ref(planned))
    plans.first.setdefault(planned.sha256, planned.at)
    return planned


def entities(planned: Planned, outcome: sandbox.Outcome) -> Iterator[sandbox.Entity]:
    """The file's entities, from the child it was sent to ahead or from one sent it
    now; the next files planned after it are sent ahead first."""
    running, planned.slot.running = planned.slot.running, None
    if running is not None:
        _unwatch(running)
    else:
        running = planned.start(now=True)
    planned.read = True
    if planned.plans is not None:
        _send_ahead(planned.plans, planned.at)
    yield from sandbox.collect(running, outcome)


def _send_ahead(plans: _Plans, at: int) -> None:
    """Send the next `AHEAD` unread files after the one at `at` to children; stop those
    sent ahead of files before it, which were skipped (they are not read in turn)."""
    plans.ahead.discard(at)
    for earlier in [i for i in plans.ahead if i < at]:
        plans.ahead.discard(earlier)
        if (skipped := plans.get(earlier)) is not None:
            skipped.slot.release()
    for later in range(at + 1, at + 1 + AHEAD):
        found = plans.get(later)
        # The same bytes under another name are skipped as done: not worth extracting.
        if found is None or found.read or plans.first[found.sha256] < later:
            continue
        if found.slot.running is None:
            found.slot.running = found.start(now=False)
            plans.ahead.add(later)
            _watch(found.slot.running)


# The children extracting ahead, whose memory is sampled while nothing reads them: a
# child that dies at its memory limit in C code is then still told from a crash.
_WATCHED: set[sandbox.Running] = set()
# Reentrant: a plan dropped by the garbage collector in the sampling thread unwatches.
_LOCK = threading.RLock()
_SAMPLING = False  # a thread samples them
_SAMPLE_SECONDS = 0.25


def _watch(running: sandbox.Running) -> None:
    global _SAMPLING
    with _LOCK:
        _WATCHED.add(running)
        start, _SAMPLING = not _SAMPLING, True
    if start:
        threading.Thread(target=_sample, name="threadline-extract-watch", daemon=True).start()


def _unwatch(running: sandbox.Running) -> None:
    with _LOCK:
        _WATCHED.discard(running)


def _sample() -> None:
    global _SAMPLING
    while True:
        with _LOCK:
            if not _WATCHED:
                _SAMPLING = False
                return
            for running in list(_WATCHED):
                running.worker.memory.sample()
        time.sleep(_SAMPLE_SECONDS)
