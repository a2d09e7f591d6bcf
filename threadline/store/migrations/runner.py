"""Alembic run programmatically over threadline's revisions: upgrade, current, history.

The script directory is `threadline/store/migrations` inside the installed package, so
users need no alembic.ini. Every command works on the connection it is given.
"""

from __future__ import annotations

from functools import cache

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData

from threadline.store.migrations.adoption import shown
from threadline.store.migrations.errors import SchemaError
from threadline.store.migrations.revision import Revision
from threadline.store.migrations.versioning import _PG_LOCK, read_version

SCRIPT_LOCATION = "threadline.store:migrations"


def config(conn: Connection | None = None, target: MetaData | None = None) -> Config:
    """An Alembic configuration for threadline's revisions, on `conn` if given, with
    `target` (every table's model, `threadline.app.schema.SCHEMA.target()`) for
    Alembic to compare the database with."""
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if conn is not None:
        cfg.attributes["connection"] = conn
    if target is not None:
        cfg.attributes["target"] = target
    return cfg


@cache
def scripts() -> ScriptDirectory:
    """The revisions (read once per process)."""
    return ScriptDirectory.from_config(config())


def head() -> str:
    """The newest revision."""
    found = scripts().get_current_head()
    if found is None:
        raise SchemaError("threadline's migrations have no revision")
    return found


def history() -> list[Revision]:
    """Every revision, oldest first."""
    found = []
    for script in scripts().walk_revisions():
        down = script.down_revision
        if not isinstance(down, str | None):  # a merge; threadline's history is a line
            down = ",".join(down)
        found.append(Revision(script.revision, down, (script.doc or "").strip()))
    return found[::-1]


def check_known(conn: Connection, version: str | None) -> None:
    """Refuse a database stamped at a revision this code does not have."""
    if version is None:
        return
    known = {script.revision for script in scripts().walk_revisions()}
    if version not in known:
        raise SchemaError(
            f"{shown(conn)} is at schema revision {version!r}, which this threadline "
            f"does not know (its newest is {head()!r}): it was written by a newer "
            "threadline; use that version or a later one"
        )


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Upgrade the database to the newest revision in one transaction (on SQLite,
    each schema change commits as it is made); (revision before, revision after)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
        before = read_version(conn)
        check_known(conn, before)
        if before != head():
            command.upgrade(config(conn), "head")
        after = read_version(conn)
    return before, after or ""


def current(engine: Engine) -> str | None:
    """The revision the database is at (None: not stamped), after checking that this
    code knows it."""
    with engine.connect() as conn:
        version = read_version(conn)
        check_known(conn, version)
    return version
