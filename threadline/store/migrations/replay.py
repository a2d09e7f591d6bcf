"""The SQL that makes a new SQLite database at the newest revision, as the revisions
make it: for a store opened without the registry of every table (the store alone,
below the app that composes the registry).

The revisions run once per process on a database in memory; its `sqlite_master`
then gives their tables and indexes as SQL, in the order they were made, to run on
a new database in one transaction, as a database made from the models is.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import create_engine

SQLITE_OWN = "sqlite_%"  # SQLite's own tables (sqlite_sequence) make themselves


@cache
def sqlite_creation() -> tuple[str, ...]:
    """Every CREATE statement of a SQLite database at the newest revision, stamp
    included (the revisions make and fill the version table)."""
    from threadline.store.migrations import runner  # Alembic loads only when needed

    engine = create_engine("sqlite://")
    try:
        runner.upgrade(engine)
        with engine.connect() as conn:
            made = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE ? "
                "ORDER BY rowid",
                (SQLITE_OWN,),
            )
            statements = [str(sql) for sql in made.scalars()]
            stamp = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    finally:
        engine.dispose()
    return (*statements, f"INSERT INTO alembic_version (version_num) VALUES ('{stamp}')")
