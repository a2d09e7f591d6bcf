"""Where a data directory's state lives, and which parts of it a backup leaves out.

The store and the audit log are SQLite databases (copied through the online backup
API); the audit keys, the checkpoints, the resolution model, the documents' original
files (`originals/`), the tips' files and anything else in the data directory are
files. Derived views are left out: restore rebuilds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

STORE_FILE = "store.sqlite3"
AUDIT_FILE = "audit.sqlite3"
SECOND_PLACE = "checkpoint-dir"  # the second copy of the checkpoints, in a backup
CONFIG_DIR = "config"  # the config file, in a backup

# Left out of a backup, with what happens to each after a restore.
LEFT_OUT: dict[str, str] = {
    "index": "the search index: restore rebuilds it from the store",
    "graph": "the link graph cache: rebuilt on first use",
    "resolve/state.duckdb": "resolution's working tables: the next resolve compares "
    "every record again (with the same model, which is kept)",
    "uploads": "files uploaded for ingest jobs: their statements are in the store",
    "demo-sources": "generated demo files: `demo` writes them again",
    "exports": "case exports already handed out (on record in the audit log)",
    "page-images": "PDF pages drawn for the document view: drawn again when next viewed",
}
# Files that belong to a database or a write in progress, never copied on their own.
TRANSIENT_SUFFIXES = ("-wal", "-shm", "-journal", ".tmp", ".wal", ".lock")


@dataclass(frozen=True)
class Layout:
    """The places of one data directory's state."""

    data_dir: Path
    store_db: Path  # statements, judgements, users, cases, sessions
    audit_db: Path
    keys: Path  # the audit signing key, public keys and salt
    checkpoints: Path  # the signed checkpoints' primary place
    second: Path | None = None  # their second place (`--checkpoint-dir`), if any

    def databases(self) -> dict[str, Path]:
        """The SQLite databases by their name in a backup."""
        return {STORE_FILE: self.store_db, AUDIT_FILE: self.audit_db}

    def backed_up(self, relative: PurePosixPath) -> bool:
        """Whether a file of the data directory (relative path) is copied as a file;
        the databases and the checkpoints are copied on their own terms."""
        name = relative.as_posix()
        if any(name == left or name.startswith(f"{left}/") for left in LEFT_OUT):
            return False
        if name.endswith(TRANSIENT_SUFFIXES) or name.startswith("resolve/state.duckdb"):
            return False
        absolute = self.data_dir.joinpath(*relative.parts)
        special = [self.store_db, self.audit_db, self.checkpoints]
        if self.second is not None:
            special.append(self.second)
        return not any(absolute == p or p in absolute.parents for p in special)
