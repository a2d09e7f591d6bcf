"""Writing statements to the SQL store: one transaction per file, sorted on SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, bindparam, update
from sqlalchemy.engine import Dialect

from threadline.model.provenance import SourceInfo
from threadline.model.statement import BASE_PROP, RawRow, StatementRow
from threadline.store import counts
from threadline.store.base import StoreWriter
from threadline.store.tables import sources, statements

__all__ = ["STAGE_ROWS", "SQLWriter"]

_COLUMNS = [c.name for c in statements.columns]

# Rows held before they are written (SQLite): sorted runs this long insert nearly as
# fast as one sorted file. Held as the tuples ingest made, which cost no copy: a
# staging table in SQLite's memory (the earlier way) took the rows twice, once into
# it and once out of it in order, for about 40 % more CPU than one sorted insert.
STAGE_ROWS = 2_000_000
_clustered = itemgetter(0, 1)  # the primary key (entity_id, id): the table's order


@dataclass(frozen=True)
class _Compiled:
    """A writer's SQL for one dialect, compiled once per process, not once per file."""

    insert: str
    positional: bool
    seen: str
    seen_fields: list[int]


# By dialect class (a driver's: psycopg and psycopg2 render binds differently) and
# parameter style, which is all the compiled text depends on.
_COMPILED: dict[tuple[type[Dialect], str], _Compiled] = {}


def _compiled(conn: Connection, insert: Any) -> _Compiled:
    key = (type(conn.dialect), conn.dialect.paramstyle)
    known = _COMPILED.get(key)
    if known is not None:
        return known
    # DO NOTHING, not DO UPDATE: the driver's row count is then the rows really
    # inserted, which the counts need; a known statement's `last_seen` is moved by
    # the UPDATE below (see `SQLWriter._write`).
    new = insert(statements).on_conflict_do_nothing(index_elements=["entity_id", "id"])
    # Ingest writes millions of rows: compile once and hand tuples straight to the
    # driver, which is several times faster than SQLAlchemy's per-row dict handling.
    compiled = new.compile(dialect=conn.dialect, column_keys=_COLUMNS)
    order = list(compiled.positiontup or [])
    positional = bool(conn.dialect.positional) and order == _COLUMNS
    c = statements.c
    seen = (
        update(statements)
        .where(c.entity_id == bindparam("key_entity"), c.id == bindparam("key_id"))
        .values(last_seen=bindparam("seen"))
    )
    seen_compiled = seen.compile(dialect=conn.dialect)
    fields = {"key_entity": 0, "key_id": 1, "seen": 12}  # positions in a RawRow
    positions = seen_compiled.positiontup if conn.dialect.positional else None
    made = _Compiled(
        str(compiled), positional, str(seen_compiled), [fields[n] for n in positions or []]
    )
    _COMPILED[key] = made
    return made


class SQLWriter(StoreWriter):
    """Writes inside one connection-level transaction."""

    def __init__(self, conn: Connection, insert: Any, stage_rows: int = STAGE_ROWS) -> None:
        self._conn = conn
        self._stage_rows = stage_rows
        self.entity_ids: set[str] = set()  # for the change log
        self.changed = False
        self.tally = counts.Tally()  # for the counts per dataset
        self._known_first = False  # see `_write`
        made = _compiled(conn, insert)
        self._sql, self._positional = made.insert, made.positional
        self._seen_sql, self._seen_fields = made.seen, made.seen_fields
        # SQLite: a file's statements wait here and go in at the end (or every
        # `stage_rows`), sorted by the clustered key; appended in file order, hashed
        # ids write all over the table, several times slower.
        self._held: list[StatementRow | RawRow] | None = (
            [] if conn.dialect.name == "sqlite" else None
        )
        src = insert(sources)
        self._source_upsert = src.on_conflict_do_update(
            index_elements=["sha256", "dataset"],
            set_={
                "name": src.excluded.name,
                "ingested_at": src.excluded.ingested_at,
                "records": src.excluded.records,
                "recipe": src.excluded.recipe,
                # A file extracted again by a newer extractor is recorded as such.
                "kind": src.excluded.kind,
                "size": src.excluded.size,
            },
        )

    def add(self, rows: Sequence[StatementRow | RawRow]) -> None:
        if not rows:
            return
        self.changed = True
        self.entity_ids.update(r[0] for r in rows)
        if self._held is None:
            self._write_groups(sorted(rows, key=_clustered))
            return
        self._held.extend(rows)
        if len(self._held) >= self._stage_rows:
            self.flush()

    def flush(self) -> None:
        """Write what is held (SQLite), in (entity_id, id) order: when `stage_rows` are
        held, and before the transaction commits. The sort is stable, so of a
        statement added twice the first row is inserted and the last moves
        `last_seen` (`_write`), as when each batch is written as it comes."""
        if self._held:
            rows, self._held = self._held, []
            rows.sort(key=_clustered)
            self._write_groups(rows)

    def _write_groups(self, rows: Sequence[StatementRow | RawRow]) -> None:
        """Write rows in groups of one dataset, id statements apart: each group's row
        count says how many statements (and, of id statements, entities) it added."""
        groups: dict[tuple[str, bool], list[StatementRow | RawRow]] = {}
        for row in rows:
            key = (row[8], row[3] == BASE_PROP)
            group = groups.get(key)
            if group is None:
                group = groups[key] = []
            group.append(row)
        for (dataset, ids), group in groups.items():
            added = self._write(group)
            self.tally.add(dataset, added, added if ids else 0)

    def _write(self, group: list[StatementRow | RawRow]) -> int:
        """Insert the new statements of a group and move the known ones' `last_seen`;
        return how many were new.

        Whichever statement comes first is the one the last group needed most: a new
        file's rows are inserted and need no update, a file written again has its
        rows updated and needs no insert. A mix (or a statement twice in the group,
        whose later `last_seen` wins) takes both."""
        if self._known_first:
            known = self._move_last_seen(group)
            added = self._insert(group) if known < len(group) else 0
            if known + added < len(group):
                self._move_last_seen(group)
        else:
            added = self._insert(group)
            if added < len(group):
                self._move_last_seen(group)
        self._known_first = 2 * added < len(group)
        return added

    def _insert(self, group: list[StatementRow | RawRow]) -> int:
        if self._positional:
            return self._executemany(self._sql, group)
        params = [StatementRow._make(r)._asdict() for r in group]
        return int(self._conn.exec_driver_sql(self._sql, params).rowcount)

    def _move_last_seen(self, group: list[StatementRow | RawRow]) -> int:
        """A statement seen again keeps its first provenance and moves `last_seen`;
        return how many rows were stored already."""
        if self._seen_fields:
            return self._executemany(
                self._seen_sql, [tuple(r[i] for i in self._seen_fields) for r in group]
            )
        params = [{"key_entity": r[0], "key_id": r[1], "seen": r[12]} for r in group]
        return int(self._conn.exec_driver_sql(self._seen_sql, params).rowcount)

    def _executemany(self, sql: str, params: Sequence[Any]) -> int:
        """Positional parameters through the driver's own cursor, as `sql._raw_batches`
        reads: the tuples go straight to the driver (through `exec_driver_sql`, a
        280k-row insert into SQLite took 40 % more CPU)."""
        dbapi: Any = self._conn.connection.dbapi_connection
        cursor = dbapi.cursor()
        try:
            cursor.executemany(sql, params)
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def add_source(self, source: SourceInfo) -> None:
        self.changed = True
        self.tally.sources.add(source.dataset)
        self._conn.execute(
            self._source_upsert,
            [
                {
                    "sha256": source.sha256,
                    "dataset": source.dataset,
                    "name": source.name,
                    "size": source.size,
                    "kind": source.kind,
                    "ingested_at": source.ingested_at,
                    "records": source.records,
                    "recipe": source.recipe,
                }
            ],
        )
