"""Writing a backup's or a restore's files: owner-only, hashed, fsynced, swapped in whole.

Everything is written into a hidden staging folder beside its destination and renamed
into place at the end, so a crash leaves either nothing or the whole thing, never a
half-written backup or data directory.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import sqlite3
from pathlib import Path

from threadline.backup.errors import BackupError

SQLITE_HEADER = b"SQLite format 3\x00"
_CHUNK = 1 << 20
BUSY_SECONDS = 60.0  # how long a copy waits for a writer's lock


def private_dir(path: Path) -> Path:
    """Create a folder (and parents) readable by its owner only (0700)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)  # mkdir's mode is narrowed by the umask, never widened
    return path


def _new_private(path: Path) -> int:
    private_dir(path.parent)
    # Created 0600 from the start: chmod after writing would leave a window.
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def copy_file(source: Path, target: Path) -> tuple[int, str]:
    """Copy a file to a new owner-only file, fsynced; return its size and SHA-256."""
    hasher = hashlib.sha256()
    size = 0
    with source.open("rb") as reader, os.fdopen(_new_private(target), "wb") as writer:
        while chunk := reader.read(_CHUNK):
            hasher.update(chunk)
            writer.write(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return size, hasher.hexdigest()


def is_sqlite(path: Path) -> bool:
    """Whether a file is a SQLite database (by its header)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database, through SQLite's online backup API.

    All pages are copied in one step, inside one read transaction: writers in WAL mode
    go on meanwhile, and the copy is the database as of that transaction's start. The
    copy is left in rollback-journal mode, one self-contained file.
    """
    if not source.is_file():
        raise BackupError(f"{source}: database not found")
    os.close(_new_private(target))  # an empty file is an empty database
    try:
        src = sqlite3.connect(source, timeout=BUSY_SECONDS)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as error:
        raise BackupError(f"{source}: could not copy the database ({error})") from error


def settle_sqlite(path: Path) -> None:
    """Fold a staged database's WAL back in, so the file alone is the database."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def owner_only(folder: Path) -> None:
    """Make everything under a folder owner-only (files 0600, folders 0700): files
    written by other code (a checkpoint, say) follow the umask."""
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (new names, renames) durable."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def staging(target: Path, purpose: str) -> Path:
    """A new hidden owner-only folder beside `target`, to be renamed onto it."""
    target.parent.mkdir(parents=True, exist_ok=True)  # not ours to narrow: no chmod
    stage = target.parent / f".{target.name}.{purpose}-{secrets.token_hex(4)}"
    return private_dir(stage)


def is_empty(path: Path) -> bool:
    """Whether a path is missing or an empty folder."""
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def swap_in(stage: Path, target: Path) -> None:
    """Put a staged folder in `target`'s place; an existing `target` is replaced whole.

    A missing or empty target is replaced in one rename. A full one is first renamed
    aside (so the swap is two renames, never a mix of old and new files) and deleted
    once the new folder is in place.
    """
    aside: Path | None = None
    if target.exists() and not is_empty(target):
        aside = target.parent / f".{target.name}.replaced-{secrets.token_hex(4)}"
        target.rename(aside)
    elif target.exists():
        target.rmdir()
    try:
        stage.rename(target)
    except OSError:
        if aside is not None:
            aside.rename(target)
        raise
    fsync_dir(target.parent)
    if aside is not None:
        shutil.rmtree(aside)
