"""Freshness: whether the store may have changed since a search last compared it with
the index, asked of SQLite rather than of the store's tables.

Every search first checks that the index is not behind the store (`Workbench._catch_up`),
and reading the store's generation through SQLAlchemy cost more than half of what the
search facade added to the index's own work. SQLite keeps a counter for this,
`PRAGMA data_version`: on one connection, it changes whenever another connection (of
this process or another) commits to the database. This connection never writes, so
every commit changes it. While it reads the same, and the index still reflects the
generation the store had when it was read, the store need not be asked again.

Other databases (PostgreSQL), and a store in memory, have no such counter here: their
generation is read on every search, as before.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from sqlalchemy.engine import make_url

from threadline.search.index import Generation

Version = tuple[int, int]  # the connection (a count of those opened) and its counter


class Freshness:
    """The store generation a search last saw, and SQLite's change counter then."""

    def __init__(self, store_url: str) -> None:
        url = make_url(store_url)
        database = url.database
        plain = database not in (None, "", ":memory:") and not url.query
        # A plain SQLite file only: a URI database keeps to the store's own options.
        self._path = database if url.get_backend_name() == "sqlite" and plain else None
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._file: tuple[int, int] | None = None  # device and inode of the file opened
        self._opened = 0  # connections opened so far
        self._seen: tuple[Version, Generation] | None = None

    def version(self) -> Version | None:
        """SQLite's change counter of the store (with which connection read it: each
        counts from its own start), read before the store is; None when it cannot be
        had (another database, or an error: then the store is asked)."""
        if self._path is None:
            return None
        with self._lock:
            try:
                # The file itself, each time: a restore puts another file in its
                # place, whose commits the old one's counter would never show.
                stat = os.stat(self._path)
                if self._conn is not None and self._file != (stat.st_dev, stat.st_ino):
                    self._close()
                if self._conn is None:
                    # Read only, and autocommit: no transaction is left open between
                    # calls, so each read sees the latest commit.
                    self._conn = sqlite3.connect(
                        Path(self._path).resolve().as_uri() + "?mode=ro",
                        uri=True,
                        check_same_thread=False,
                        isolation_level=None,
                    )
                    self._file = (stat.st_dev, stat.st_ino)
                    self._opened += 1
                row = self._conn.execute("PRAGMA data_version").fetchone()
                return self._opened, int(row[0])
            except (OSError, sqlite3.Error):
                self._close()
                return None

    def unchanged(self, version: Version | None, indexed: Generation | None) -> bool:
        """Whether nothing was committed to the store since `note` (the counter reads
        `version` still) and the index reflects the generation noted then."""
        seen = self._seen
        return version is not None and seen is not None and seen == (version, indexed)

    def note(self, version: Version | None, generation: Generation) -> None:
        """Remember the store's generation, read after the counter gave `version`."""
        self._seen = None if version is None else (version, generation)

    def close(self) -> None:
        """Release the connection (it is opened again if asked)."""
        with self._lock:
            self._close()
            self._seen = None

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._file = None
