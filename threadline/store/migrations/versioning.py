"""Bringing a database to the newest schema when it is opened, cheaply.

Stores are opened often (each CLI call, each test), so the usual case costs one query
and no Alembic: a database at `HEAD` is left alone. A new, empty database is created
from the models and stamped at `HEAD` in one go, as Alembic's documentation advises
(the models and the revisions agree: tests/store/test_migrations_models.py), when the
caller passes the registry of every table (`threadline.app.schema.SCHEMA`: the store
does not know the tables of the packages above it); without one, from the SQL the
revisions give (`replay`), the same tables. Anything else goes through
Alembic (`runner.upgrade`): a database made before the migrations
(tables, no version table) is checked and stamped by the baseline, an older one is
upgraded, and one newer than this code is refused.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.schema import CreateIndex, CreateTable

from threadline.store.migrations.replay import sqlite_creation
from threadline.store.migrations.schema import Registry

# The newest revision in versions/ (a test checks that Alembic agrees).
HEAD = "0003"

# Alembic's own version table, as it creates it, for stamping without loading Alembic.
version_table = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)

# Any number will do: it only has to be the same in every process that migrates.
_PG_LOCK = 0x7468726C  # "thrl"


def read_version(conn: Connection) -> str | None:
    """The revision the database is stamped at, or None without a version table."""
    query = f"SELECT version_num FROM {version_table.name}"
    if conn.dialect.name == "sqlite":
        # One query, not a look at the catalogue first: this runs at every open.
        try:
            found: str | None = conn.exec_driver_sql(query).scalar()
        except OperationalError as error:
            if "no such table" not in str(error.orig):
                raise
            return None
        return found
    if not inspect(conn).has_table(version_table.name):
        return None
    return conn.exec_driver_sql(query).scalar()


def _creation(dialect: Dialect, registry: Registry) -> list[str]:
    """The SQL that creates every table at `HEAD` and stamps it, compiled once per
    dialect: cheaper than `create_all`, which asks about each table first."""
    key = (dialect.name, registry.modules)
    if key not in _CREATION:
        made = []
        for table in [*registry.target().sorted_tables, version_table]:
            made.append(str(CreateTable(table).compile(dialect=dialect)).strip())
            made += [str(CreateIndex(index).compile(dialect=dialect)) for index in table.indexes]
        made.append(f"INSERT INTO {version_table.name} (version_num) VALUES ('{HEAD}')")
        _CREATION[key] = made
    return _CREATION[key]


_CREATION: dict[tuple[str, tuple[str, ...]], list[str]] = {}


def _create_sqlite(conn: Connection, registry: Registry | None) -> None:
    """Create the tables of an empty SQLite database in one transaction, in one call
    to the driver (a file's tables then cost one commit, not one each): from the
    models if the registry is given, else as the revisions make them."""
    driver: Any = conn.connection.driver_connection
    made = _creation(conn.dialect, registry) if registry is not None else sqlite_creation()
    script = ";\n".join(["BEGIN IMMEDIATE", *made, "COMMIT;"])
    try:
        driver.executescript(script)
    except sqlite3.Error as error:
        driver.rollback()  # another process made them first: `prepare` checks
        raise DBAPIError(None, None, error) from error


def prepare(engine: Engine, registry: Registry | None = None) -> tuple[str | None, str] | None:
    """Bring the database of `engine` to `HEAD` (see the module's docstring): the
        revision it was at and `HEAD` if this changed it (None before: created), None if
        it was at `HEAD`. `registry` names every table, for a new database to be made from
        the models (without it, a new SQLite database is made as the revisions make it,
    and a new PostgreSQL one by the revisions). Raise `SchemaError` for a database
    this code cannot use."""
    with engine.connect() as conn:
        before = read_version(conn)
    if before == HEAD:
        return None
    try:
        _migrate(engine, registry)
    except DBAPIError:
        # Another process created or upgraded it at the same moment (SQLite has no
        # lock to wait on for DDL here): fine if it is now at the head.
        with engine.connect() as conn:
            if read_version(conn) != HEAD:
                raise
    return before, HEAD


def _migrate(engine: Engine, registry: Registry | None) -> None:
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # One process migrates at a time; the others wait, then see it done.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
        version = read_version(conn)
        if version == HEAD:
            return
        new = version is None and not inspect(conn).get_table_names()
        if new and conn.dialect.name == "sqlite":
            conn.rollback()  # the script makes its own transaction
            _create_sqlite(conn, registry)
            return
        if new and registry is not None:  # without it, the revisions run, under the lock
            for statement in _creation(conn.dialect, registry):
                conn.exec_driver_sql(statement)
            conn.commit()
            return
        conn.rollback()  # and the lock with it: the upgrade takes it again
    from threadline.store.migrations import runner  # Alembic loads only when needed

    runner.upgrade(engine)
