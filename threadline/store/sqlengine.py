"""Opening a SQLAlchemy engine for the stores that share the statement store's database.

Access and case tables live beside the statements: given the store's engine, they use
it; given a URL, they open their own (SQLite in WAL mode, with foreign keys on).
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def private_file(url: str) -> None:
    """Create a SQLite database file readable by its owner only (0600), before SQLite
    creates it with the umask's mode; its WAL and shared-memory files take the same
    mode. Nothing for other databases, in-memory ones, or a file that exists."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    if database.startswith("file:"):
        return  # a URI filename: its owner chose how to open it
    try:
        os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError:
        return  # it exists, or SQLite will say what is wrong when it opens it


def shared_engine(url: str | Engine) -> tuple[Engine, bool]:
    """The engine for `url` (or `url` itself if it is one), and whether the caller owns
    it, so must dispose of it."""
    if not isinstance(url, str):
        return url, False
    kwargs: dict[str, Any] = {}
    if url in ("sqlite://", "sqlite:///:memory:"):
        # One shared connection, or each checkout would see a new empty database.
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    private_file(url)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine, True
