"""The SQL tables of the store, in SQLAlchemy Core, portable across SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
)

metadata = MetaData()

statements = Table(
    "statements",
    metadata,
    # Clustered by entity: assembling an entity reads one contiguous range. The
    # statement id embeds the entity id, so (entity_id, id) is as unique as id alone.
    Column("entity_id", String(255), primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("schema", String(64), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("prop_type", String(32), nullable=False),
    Column("value", Text, nullable=False),
    Column("original_value", Text, nullable=True),
    Column("lang", String(16), nullable=True),
    Column("dataset", String(255), nullable=False),
    Column("source", String(64), nullable=False),
    Column("location", Integer, nullable=True),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
    sqlite_with_rowid=False,
)
# Reverse lookup of edges: which entities point at this one. Only entity-typed values
# are indexed, which keeps the index small.
Index(
    "ix_statements_entity_refs",
    statements.c.value,
    sqlite_where=statements.c.prop_type == "entity",
    postgresql_where=statements.c.prop_type == "entity",
)

sources = Table(
    "sources",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("dataset", String(255), primary_key=True),
    Column("name", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Column("records", Integer, nullable=False),
    # The digest of how a records file was converted (`threadline.ingest.resume`).
    Column("recipe", String(64), nullable=True),
)

# What each dataset holds (see `threadline.store.counts`), kept by every write in the
# transaction of its statements: `datasets()` reads it instead of counting millions of
# statements.
dataset_counts = Table(
    "dataset_counts",
    metadata,
    Column("dataset", String(255), primary_key=True),
    Column("statements", BigInteger, nullable=False),
    Column("entities", BigInteger, nullable=False),
    Column("sources", BigInteger, nullable=False),
)

# The change log (see `threadline.store.changes`): the store's id, its generation and
# how far the log was pruned, by name; and the entity ids each generation changed.
store_meta = Table(
    "store_meta",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", String(64), nullable=False),
    Column("number", Integer, nullable=False),
)
changes = Table(
    "changes",
    metadata,
    Column("generation", Integer, primary_key=True),
    Column("entity_id", String(255), primary_key=True),
)


def insert_rows(conn: Connection, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert rows (tuples in the table's column order) in one executemany.

    A resolution run writes tens of thousands of rows: the INSERT is compiled once for
    the connection's dialect and the rows go straight to the driver, which skips
    SQLAlchemy's per-row parameter handling (most of the time of `execute(insert(t),
    dicts)`). Only for tables whose columns take no bind processing (strings and
    numbers, as here): the driver then sees the same values either way."""
    if not rows:
        return
    keys = [c.key for c in table.columns]
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=keys)
    params: Sequence[Any] = rows
    if not (conn.dialect.positional and list(compiled.positiontup or []) == keys):
        params = [dict(zip(keys, row, strict=True)) for row in rows]
    conn.exec_driver_sql(str(compiled), params)
