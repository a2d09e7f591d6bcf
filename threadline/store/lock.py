"""The data directory's writer lock: one ingest (or reindex) at a time, across processes.

An ingest holds one store transaction per file for as long as the file takes; a
second writer would otherwise fail with SQLite's `database is locked`. The lock is an
advisory file lock (`flock`), which the operating system drops when its holder dies,
so a killed ingest never leaves the data directory locked.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's busy timeout is the only wait
    fcntl = None  # type: ignore[assignment]  # reason: the module is absent there

LOCK_FILE = "writer.lock"
WAITING = "waiting for another ingest to finish…"
log = logging.getLogger(__name__)


@contextmanager
def writer_lock(data_dir: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the data directory's writer lock, waiting for another holder to finish.

    If it has to wait, it says so once: in the log (which the CLI prints on stderr)
    and through `on_wait` (a progress display, say).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a+b") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.warning(WAITING)
                if on_wait is not None:
                    on_wait(WAITING)
                fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)
