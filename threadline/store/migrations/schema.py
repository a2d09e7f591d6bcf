"""What the migrations manage: a registry of the modules that own SQL tables.

Each package owns its tables in a `metadata` of its own module. The store names only
its own (`STORE_MODULES`); the layer that composes the app adds the tables of the
packages above it (`threadline.app.schema.SCHEMA`) and passes the registry in where
migrations are prepared, so dependencies point downward. A new table joins the
migrations by living in a module of the app's registry and by a revision that creates
it (see docs/migrations.md). The modules are imported when the schema is first
needed, not when a registry is made.

All of them share the store's database on PostgreSQL. On SQLite the audit log and the
job queue have database files of their own; their tables are created in the store's
file too (empty there), so one schema and one history serve both backends.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

from sqlalchemy import MetaData, Table

STORE_MODULES: tuple[str, ...] = (
    "threadline.store.tables",
    "threadline.store.judgements",
)


@dataclass(frozen=True)
class Registry:
    """The modules whose `metadata` hold every table the revisions build, in order."""

    modules: tuple[str, ...]

    def metadatas(self) -> list[MetaData]:
        """The `metadata` of every module, in order."""
        return _metadatas(self.modules)

    def target(self) -> MetaData:
        """Every table in one MetaData: what the newest revision must build. Two
        modules defining the same table name is an error, not a silent merge."""
        return _target(self.modules)

    def tables(self) -> list[Table]:
        """The tables in dependency order."""
        return list(self.target().sorted_tables)


STORE = Registry(STORE_MODULES)


def _metadatas(modules: tuple[str, ...]) -> list[MetaData]:
    found = []
    for name in modules:
        value = getattr(importlib.import_module(name), "metadata", None)
        if not isinstance(value, MetaData):
            raise TypeError(f"{name}.metadata is not a SQLAlchemy MetaData")
        found.append(value)
    return found


@cache
def _target(modules: tuple[str, ...]) -> MetaData:
    combined = MetaData()
    owners: dict[str, str] = {}
    for module, metadata in zip(modules, _metadatas(modules), strict=True):
        for table in metadata.tables.values():
            if table.name in owners:
                raise ValueError(
                    f"table {table.name!r} is defined in both {owners[table.name]} and {module}"
                )
            owners[table.name] = module
            table.to_metadata(combined)
    return combined
