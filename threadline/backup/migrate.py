"""Moving a data directory's databases into another database (PostgreSQL, for a team
server): every table copied in batches inside one target transaction, then checked.

The copy is all or nothing: the target's tables are created and filled in a single
transaction, the row counts of every table are compared before it commits, and a
target that already holds rows is refused. The source is only read. The audit log is
checked as a log, not only as rows: the copy must have the same Merkle root and size,
so the checkpoints signed for the source stay valid for the target.

Login sessions are not moved (everyone signs in again on the new server), and neither
is the search index, which is rebuilt from the store. The store's counts per dataset
are not copied either: they are counted again from the copied statements, in the same
transaction, so they match the target whatever the source's said.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, MetaData, Table, func, insert, inspect, select, text

from threadline.backup.errors import BackupError
from threadline.progress import Progress
from threadline.store import counts
from threadline.store.tables import dataset_counts

BATCH = 5_000


class MigrationError(BackupError):
    """The target cannot take the copy, or the copy does not match its source."""


@dataclass(frozen=True)
class TableCopy:
    """One table: the rows in the source and in the target after the copy."""

    name: str
    source: int
    target: int


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _serial_columns(table: Table) -> list[str]:
    """Integer primary keys the database numbers itself (a sequence, on PostgreSQL)."""
    key = list(table.primary_key.columns)
    if len(key) != 1 or key[0].autoincrement is False:
        return []
    column = key[0]
    return [column.name] if column.type.python_type is int else []


def _advance_sequences(conn: Connection, tables: Sequence[Table]) -> None:
    """Explicit ids do not move PostgreSQL's sequences: set them past the copied rows,
    or the next insert would reuse an id."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        for column in _serial_columns(table):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column}'), "
                    f'COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) '
                    f'FROM "{table.name}"'
                )
            )


def copy_tables(
    sources: Sequence[tuple[Engine, Sequence[MetaData]]], target: Engine, progress: Progress
) -> list[TableCopy]:
    """Copy every table of each source's schemas that the source has into the target,
    in one target transaction; raise MigrationError (and write nothing) on any
    mismatch. Each source is read in one transaction, so what is copied is one
    consistent state of it."""
    copies: list[TableCopy] = []
    with ExitStack() as stack, target.begin() as writer:
        plan: list[tuple[Connection, Table, int]] = []
        recount = False
        for engine, schemas in sources:
            present = set(inspect(engine).get_table_names())
            reader = stack.enter_context(engine.connect())
            for schema in schemas:
                schema.create_all(writer)
                recount |= schema is dataset_counts.metadata
                present_tables = [
                    t for t in schema.sorted_tables if t.name in present and t is not dataset_counts
                ]
                plan += [(reader, t, _count(reader, t)) for t in present_tables]
        for _, table, _ in plan:
            if _count(writer, table):
                raise MigrationError(
                    f"the target's table {table.name!r} already holds rows: "
                    "migrate into an empty database"
                )
        progress.begin(f"copying {len(plan)} tables", sum(n for *_, n in plan), "rows")
        for reader, table, total in plan:
            rows = reader.execution_options(yield_per=BATCH).execute(select(table))
            for part in rows.partitions(BATCH):
                writer.execute(insert(table), [dict(row._mapping) for row in part])
                progress.advance(len(part))
            copies.append(TableCopy(str(table.name), total, _count(writer, table)))
        _advance_sequences(writer, [table for _, table, _ in plan])
        wrong = [c for c in copies if c.source != c.target]
        if wrong:
            named = ", ".join(f"{c.name} ({c.source} → {c.target})" for c in wrong)
            raise MigrationError(f"row counts differ after the copy: {named}")
        if recount:
            counts.rebuild(writer)
        progress.end()
    return copies


def copy_tail(source: Engine, target: Engine, tables: Sequence[Table], key: str) -> int:
    """Append the source's rows whose `key` column is past the target's largest (an
    append-only log's entries written since the copy); return how many rows came."""
    copied = 0
    with source.connect() as reader, target.begin() as writer:
        first = tables[0].c[key]
        top = writer.execute(select(func.max(first))).scalar()
        start = -1 if top is None else int(top)
        for table in tables:
            rows = reader.execute(select(table).where(table.c[key] > start)).all()
            if rows:
                writer.execute(insert(table), [dict(row._mapping) for row in rows])
                copied += len(rows)
    return copied
