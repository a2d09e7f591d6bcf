"""The registry of every table threadline keeps in SQL: what the migrations manage.

Each package owns its tables in a `metadata` of its own module; this list names those
modules, once. A new table joins the migrations by living in one of them (or in a new
module named here) and by a revision that creates it (see docs/migrations.md).
The modules are imported when the schema is first needed, not when this one is: the
store does not depend on the packages above it at import time.

All of them share the store's database on PostgreSQL. On SQLite the audit log and the
job queue have database files of their own; their tables are created in the store's
file too (empty there), so one schema and one history serve both backends.
"""

from __future__ import annotations

import importlib
from functools import cache

from sqlalchemy import MetaData, Table

SCHEMA_MODULES: tuple[str, ...] = (
    "threadline.store.tables",
    "threadline.store.judgements",
    "threadline.access.tables",
    "threadline.cases.tables",
    "threadline.watch.tables",
    "threadline.api.sessions",
    "threadline.api.limitstore",
    "threadline.app.jobs.table",
    "threadline.audit.sql",
    "threadline.tips.tables",
)


def metadatas() -> list[MetaData]:
    """The `metadata` of every module of the registry, in its order."""
    found = []
    for name in SCHEMA_MODULES:
        value = getattr(importlib.import_module(name), "metadata", None)
        if not isinstance(value, MetaData):
            raise TypeError(f"{name}.metadata is not a SQLAlchemy MetaData")
        found.append(value)
    return found


@cache
def target() -> MetaData:
    """Every registered table in one MetaData: what the newest revision must build.
    Two modules defining the same table name is an error, not a silent merge."""
    combined = MetaData()
    owners: dict[str, str] = {}
    for module, metadata in zip(SCHEMA_MODULES, metadatas(), strict=True):
        for table in metadata.tables.values():
            if table.name in owners:
                raise ValueError(
                    f"table {table.name!r} is defined in both {owners[table.name]} and {module}"
                )
            owners[table.name] = module
            table.to_metadata(combined)
    return combined


def tables() -> list[Table]:
    """The registered tables in dependency order."""
    return list(target().sorted_tables)
