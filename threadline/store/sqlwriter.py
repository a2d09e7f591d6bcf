"""Writing statements to the SQL store: one transaction per file, staged on SQLite."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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

_STAGE = "temp.threadline_stage"
# Rows staged before they are moved in: sorted runs this long insert nearly as fast as
# one sorted file, and the staging table (in memory, with SQLite's temp_store) stays
# small: at 500k rows it added 440 MiB to an ingest's peak.
STAGE_ROWS = 200_000
_COLUMN_LIST = ", ".join(_COLUMNS)
_KEY = f"(prop = '{BASE_PROP}')"


class _Staging:
    """Statements of one transaction in a TEMP table, moved into `statements` at the
    end with one INSERT … SELECT per group, in (entity_id, id) order.

    A group is one dataset's id statements or its other statements, as `SQLWriter.add`
    counts them. Within a group the first row of a statement id (in the order added)
    is the one inserted, and a statement stored already, or staged twice, takes
    `last_seen` from its last row: the same rows as writing each batch directly.
    The table lives in the connection's temp store and goes with the transaction.
    """

    def __init__(self, conn: Connection) -> None:
        self._cursor: Any = None
        self._conn = conn
        self._groups: dict[tuple[str, bool], int] = {}  # rows staged per group
        self.rows = 0
        marks = ", ".join("?" * len(_COLUMNS))
        self._insert = f"INSERT INTO {_STAGE} ({_COLUMN_LIST}) VALUES ({marks})"

    def add(self, rows: Sequence[StatementRow | RawRow]) -> None:
        if self._cursor is None:
            # The driver's own cursor, as `_raw_batches`: tuples go straight to SQLite.
            dbapi = self._conn.connection.dbapi_connection
            assert dbapi is not None  # an open connection of an active transaction
            self._cursor = dbapi.cursor()
            self._cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
            self._cursor.execute(f"CREATE TABLE {_STAGE} ({_COLUMN_LIST})")
        groups = self._groups
        for row in rows:
            key = (row[8], row[3] == BASE_PROP)
            groups[key] = groups.get(key, 0) + 1
        self._cursor.executemany(self._insert, rows)
        self.rows += len(rows)

    def flush(self) -> Iterator[tuple[str, bool, int]]:
        """Insert the staged statements; yield (dataset, id statements?, rows added)."""
        if self._cursor is None:
            return
        cursor, self._cursor = self._cursor, None
        try:
            whole = len(self._groups) == 1
            for (dataset, ids), staged in sorted(self._groups.items()):
                where, args = (
                    ("true", ()) if whole else (f"dataset = ? AND {_KEY} = ?", (dataset, ids))
                )
                cursor.execute(
                    f"INSERT INTO statements ({_COLUMN_LIST}) SELECT {_COLUMN_LIST} "
                    f"FROM {_STAGE} WHERE {where} ORDER BY entity_id, id, rowid "
                    "ON CONFLICT (entity_id, id) DO NOTHING",
                    args,
                )
                added = int(cursor.rowcount)
                if added < staged:  # stored already, or staged twice: move last_seen
                    cursor.execute(
                        f"UPDATE statements SET last_seen = s.last_seen FROM (SELECT entity_id, "
                        f"id, last_seen FROM {_STAGE} WHERE rowid IN (SELECT max(rowid) FROM "
                        f"{_STAGE} WHERE {where} GROUP BY entity_id, id)) AS s "
                        "WHERE statements.entity_id = s.entity_id AND statements.id = s.id",
                        args,
                    )
                yield dataset, ids, added
            cursor.execute(f"DROP TABLE {_STAGE}")
        finally:
            self._groups, self.rows = {}, 0
            cursor.close()


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
        # SQLite: a file's statements wait in a staging table and go in at the end,
        # sorted by the clustered key (`_Staging`); appended in file order, hashed ids
        # write all over the table, several times slower.
        self._staging = _Staging(conn) if conn.dialect.name == "sqlite" else None
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
        if self._staging is not None:
            self._staging.add(rows)
            if self._staging.rows >= self._stage_rows:
                self.flush()
            return
        # Written in groups of one dataset, id statements apart: each group's row count
        # says how many statements (and, of id statements, entities) it added.
        groups: dict[tuple[str, bool], list[StatementRow | RawRow]] = {}
        for row in rows:
            groups.setdefault((row[8], row[3] == BASE_PROP), []).append(row)
        for (dataset, ids), group in groups.items():
            added = self._write(group)
            self.tally.add(dataset, added, added if ids else 0)

    def flush(self) -> None:
        """Write what is staged (SQLite): when the stage is full, and before the
        transaction commits."""
        if self._staging is not None:
            for dataset, ids, added in self._staging.flush():
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
        params: Sequence[Any] = (
            group if self._positional else [StatementRow._make(r)._asdict() for r in group]
        )
        return int(self._conn.exec_driver_sql(self._sql, params).rowcount)

    def _move_last_seen(self, group: list[StatementRow | RawRow]) -> int:
        """A statement seen again keeps its first provenance and moves `last_seen`;
        return how many rows were stored already."""
        params: Sequence[Any]
        if self._seen_fields:
            params = [tuple(r[i] for i in self._seen_fields) for r in group]
        else:
            params = [{"key_entity": r[0], "key_id": r[1], "seen": r[12]} for r in group]
        return int(self._conn.exec_driver_sql(self._seen_sql, params).rowcount)

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
