"""One builder of the adjacency view at a time, across processes, and how far it is.

Building the view of a large store takes CPU seconds (24 s at 1M entities); every
server process and worker that found it stale would otherwise build the same view at
once. The builder holds an advisory file lock (`flock`, dropped by the operating system
when its holder dies) and writes how far it is to a small JSON file, from which any
other process answers "the link graph is being built, N% done".

Both files sit beside the view's folder, not in it: a build replaces the folder whole
by renaming, and a lock on a file renamed away would let a second builder in. They
work alike for a SQLite or a PostgreSQL store, since the view lives in the data
directory either way.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from threadline.errors import GraphBuilding
from threadline.progress import Progress

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one builder per process only
    fcntl = None  # type: ignore[assignment]  # reason: the module is absent there

WRITE_EVERY = 0.5  # seconds between writes of the progress file
RETRY_MIN, RETRY_MAX, RETRY_UNKNOWN = 1, 30, 5


@dataclass(frozen=True)
class BuildState:
    """How far a build is: entities scanned of about `total`, since `started` (epoch)."""

    done: int
    total: int | None
    started: float

    @property
    def percent(self) -> int | None:
        """Percent done, at most 99 (the total is an estimate); None if unknown."""
        if not self.total:
            return None
        return min(99, self.done * 100 // self.total)

    def retry_after(self, now: float) -> int:
        """Seconds until the build is likely done, from its pace so far (clamped)."""
        elapsed = now - self.started
        if not self.total or self.done <= 0 or elapsed <= 0:
            return RETRY_UNKNOWN
        left = (self.total - self.done) * elapsed / self.done
        return int(min(RETRY_MAX, max(RETRY_MIN, round(left))))


class Held:
    """One holding of a build lock (each acquisition opens the file anew, so that two
    threads of one process exclude each other as two processes do)."""

    def __init__(self, lock: BuildLock, handle: IO[bytes]) -> None:
        self.lock, self._handle = lock, handle

    def release(self) -> None:
        """Let the next builder in; the progress file goes with the build."""
        if self._handle.closed:
            return
        with contextlib.suppress(FileNotFoundError):
            self.lock.progress_path.unlink()
        if fcntl is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
        self._handle.close()


class BuildLock:
    """The cross-process lock of one view's builds, and its progress file."""

    def __init__(self, folder: Path) -> None:
        self.path = folder.with_name(f"{folder.name}.lock")
        self.progress_path = folder.with_name(f"{folder.name}.building.json")

    def acquire(self, wait: bool) -> Held | None:
        """Take the lock (waiting for it if `wait`); None if another builder holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        handle = os.fdopen(descriptor, "a+b")
        if fcntl is not None:
            flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
            try:
                fcntl.flock(handle, flags)
            except BlockingIOError:
                handle.close()
                return None
        return Held(self, handle)

    def busy(self) -> bool:
        """Whether another builder holds the lock now."""
        held = self.acquire(wait=False)
        if held is None:
            return True
        if fcntl is not None:  # not `release`: the progress file is the holder's
            fcntl.flock(held._handle, fcntl.LOCK_UN)
        held._handle.close()
        return False

    def state(self) -> BuildState | None:
        """The running build's progress, as its builder last wrote it."""
        try:
            data = json.loads(self.progress_path.read_text(encoding="utf-8"))
            return BuildState(int(data["done"]), data["total"], float(data["started"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, state: BuildState) -> None:
        """Publish the progress of the build this lock's holder runs."""
        tmp = self.progress_path.with_name(f"{self.progress_path.name}.{os.getpid()}")
        data = {"done": state.done, "total": state.total, "started": state.started}
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.progress_path)


class SharedProgress:
    """A progress sink that passes everything on and publishes the build's progress."""

    def __init__(self, inner: Progress, lock: BuildLock, total: int | None) -> None:
        self.inner, self.lock = inner, lock
        self.state = BuildState(0, total, time.time())
        self._written = 0.0
        lock.write(self.state)

    def begin(self, label: str, total: int | None, unit: str) -> None:
        self.inner.begin(label, total, unit)

    def advance(self, amount: int) -> None:
        self.inner.advance(amount)
        s = self.state
        self.state = BuildState(s.done + amount, s.total, s.started)
        now = time.monotonic()
        if now - self._written >= WRITE_EVERY:
            self._written = now
            self.lock.write(self.state)

    def end(self) -> None:
        self.inner.end()


def building_error(state: BuildState | None, queued: bool = False) -> GraphBuilding:
    """What a caller that will not wait is told: how far the running build is, or
    that one is `queued` (no builder holds the lock yet)."""
    if queued:
        return GraphBuilding(
            "the link graph is being built (queued for a job worker: new data or decisions "
            f"made it stale); try again in {RETRY_UNKNOWN} s",
            RETRY_UNKNOWN,
        )
    percent = None if state is None else state.percent
    wait = RETRY_UNKNOWN if state is None else state.retry_after(time.time())
    done = "" if percent is None else f", {percent}% done"
    return GraphBuilding(
        f"the link graph is being built{done}; try again in {wait} s", wait, percent
    )


def no_worker_error(waited: float) -> GraphBuilding:
    """What a request is told when a build has waited `waited` seconds in the job queue
    and no worker took it: how to get it built."""
    return GraphBuilding(
        f"the link graph must be rebuilt (new data or decisions made it stale), and its "
        f"build has waited {waited:.0f} s for a job worker: none is running. Start one "
        "with `threadline worker` (on the same data directory and store), serve with "
        "`--jobs`, or build it now with `threadline graph rebuild`",
        RETRY_MAX,
    )
