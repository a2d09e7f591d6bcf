"""Opening a SQLAlchemy engine for the stores that share the statement store's database.

Access and case tables live beside the statements: given the store's engine, they use
it; given a URL, they open their own (SQLite in WAL mode, with foreign keys on).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def shared_engine(url: str | Engine) -> tuple[Engine, bool]:
    """The engine for `url` (or `url` itself if it is one), and whether the caller owns
    it, so must dispose of it."""
    if not isinstance(url, str):
        return url, False
    kwargs: dict[str, Any] = {}
    if url in ("sqlite://", "sqlite:///:memory:"):
        # One shared connection, or each checkout would see a new empty database.
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine, True
