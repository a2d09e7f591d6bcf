"""The SQL store: SQLite (WAL) by default, any SQLAlchemy URL PostgreSQL can join later."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from threadline.errors import ConfigError
from threadline.model.provenance import SourceInfo
from threadline.model.relationship import Reference
from threadline.model.statement import BASE_PROP, RawRow, StatementRow
from threadline.store import changes, counts, migrations, referrers
from threadline.store.base import DatasetStats, LightRow, Store, StoreWriter
from threadline.store.changes import Generation
from threadline.store.judgements import SQLJudgements
from threadline.store.migrations.schema import Registry
from threadline.store.sqlengine import private_file
from threadline.store.tables import sources, statements

_ID_CHUNK = 500
_COLUMNS = [c.name for c in statements.columns]


_CACHE_KB = -131072  # SQLite's page cache per connection (negative: KiB), 128 MB
_SCAN_CACHE_KB = -8192  # while a bulk scan reads every statement once (_scan_cache)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute(f"PRAGMA cache_size={_CACHE_KB}")
    # Another process's write (an ingest holds one transaction per file) is waited
    # for, not reported as `database is locked` after the driver's 5 s.
    cursor.execute("PRAGMA busy_timeout=120000")
    cursor.close()


def _dialect_insert(engine: Engine) -> Any:
    name = engine.dialect.name
    if name == "sqlite":
        return sqlite.insert
    if name == "postgresql":
        return postgresql.insert
    raise ConfigError(f"Unsupported database dialect: {name}")


def _raw_rows(conn: Connection, query: Select[Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of a Core query, read through the driver's own cursor.

    Reindex, export and indexing after ingest read millions of statements; plain
    driver tuples skip SQLAlchemy's per-row objects, a third of the time of a scan.
    """
    for batch in _raw_batches(conn, query, 10_000):
        yield from batch


def _raw_batches(conn: Connection, query: Select[Any], size: int) -> Iterator[list[Any]]:
    """The driver's `fetchmany` batches of a Core query (see `_raw_rows`)."""
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    args: Any = (
        tuple(params[k] for k in compiled.positiontup or []) if conn.dialect.positional else params
    )
    dbapi: Any = conn.connection.dbapi_connection
    if conn.dialect.name == "postgresql":
        # A server-side cursor: psycopg's ordinary one fetches the whole result into
        # this process at `execute` (millions of statements on a reindex or resolve).
        cursor = dbapi.cursor(name=f"threadline_scan_{uuid.uuid4().hex}")
    else:
        cursor = dbapi.cursor()
    try:
        cursor.execute(str(compiled), args)
        while batch := cursor.fetchmany(size):
            yield list(batch)
    finally:
        cursor.close()


@contextmanager
def _scan_cache(conn: Connection) -> Iterator[None]:
    """A small SQLite page cache while `conn` reads the whole table once: a scan
    never reads a page twice, and a full 128 MB cache would stay in this process's
    memory (a resolve's peak) long after. Restored after; PostgreSQL is left alone."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql(f"PRAGMA cache_size={_SCAN_CACHE_KB}")
    try:
        yield
    finally:
        conn.exec_driver_sql("PRAGMA shrink_memory")
        conn.exec_driver_sql(f"PRAGMA cache_size={_CACHE_KB}")


def _entity_id(row: tuple[Any, ...]) -> Any:
    return row[0]


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


class SQLWriter(StoreWriter):
    """Writes inside one connection-level transaction."""

    def __init__(self, conn: Connection, insert: Any, stage_rows: int = STAGE_ROWS) -> None:
        self._conn = conn
        self._stage_rows = stage_rows
        self.entity_ids: set[str] = set()  # for the change log
        self.changed = False
        self.tally = counts.Tally()  # for the counts per dataset
        self._known_first = False  # see `_write`
        # DO NOTHING, not DO UPDATE: the driver's row count is then the rows really
        # inserted, which the counts need; a known statement's `last_seen` is moved by
        # the UPDATE below (see `_write`).
        new = insert(statements).on_conflict_do_nothing(index_elements=["entity_id", "id"])
        # Ingest writes millions of rows: compile once and hand tuples straight to the
        # driver, which is several times faster than SQLAlchemy's per-row dict handling.
        compiled = new.compile(dialect=conn.dialect, column_keys=_COLUMNS)
        self._sql = str(compiled)
        order = list(compiled.positiontup or [])
        self._positional = bool(conn.dialect.positional) and order == _COLUMNS
        c = statements.c
        seen = (
            update(statements)
            .where(c.entity_id == bindparam("key_entity"), c.id == bindparam("key_id"))
            .values(last_seen=bindparam("seen"))
        )
        compiled = seen.compile(dialect=conn.dialect)
        self._seen_sql = str(compiled)
        fields = {"key_entity": 0, "key_id": 1, "seen": 12}  # positions in a RawRow
        positions = compiled.positiontup if conn.dialect.positional else None
        self._seen_fields = [fields[n] for n in positions or []]
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


class SQLStore(Store):
    """Statements in a SQL database through SQLAlchemy Core."""

    def __init__(
        self, url: str, schema: Registry | None = None, stage_rows: int = STAGE_ROWS
    ) -> None:
        self._stage_rows = stage_rows  # see `_Staging`
        kwargs: dict[str, Any] = {}
        if url in ("sqlite://", "sqlite:///:memory:"):
            # One shared connection, or each checkout would see a new empty database.
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        private_file(url)
        self.engine = create_engine(url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._insert = _dialect_insert(self.engine)
        try:
            # (revision before, after) if opening it upgraded the schema; else None.
            self.schema_upgrade = migrations.prepare(self.engine, schema)
        except BaseException:
            self.engine.dispose()  # a database refused: no connection left behind
            raise
        changes.initialise(self.engine, self._insert)
        counts.initialise(self.engine)
        self.judgements = SQLJudgements(self.engine)

    @contextmanager
    def writer(self) -> Iterator[StoreWriter]:
        with self.engine.begin() as conn:
            writer = SQLWriter(conn, self._insert, self._stage_rows)
            yield writer
            writer.flush()
            if writer.changed:
                # In the same transaction: the data, its counts and its generation
                # commit together.
                counts.apply(conn, writer.tally)
                changes.bump(conn, writer.entity_ids)

    def generation(self) -> Generation:
        with self.engine.connect() as conn:
            return changes.current(conn)

    def changes_since(self, number: int) -> set[str] | None:
        with self.engine.connect() as conn:
            return changes.since(conn, number)

    def forget_changes(self, upto: int) -> None:
        with self.engine.begin() as conn:
            changes.prune(conn, upto)

    def statements_for(self, entity_ids: Collection[str]) -> dict[str, list[StatementRow]]:
        result: dict[str, list[StatementRow]] = {}
        ids = sorted(set(entity_ids))
        with self.engine.connect() as conn:
            for start in range(0, len(ids), _ID_CHUNK):
                chunk = ids[start : start + _ID_CHUNK]
                query = select(statements).where(statements.c.entity_id.in_(chunk))
                for row in _raw_rows(conn, query):
                    stmt = StatementRow._make(row)
                    result.setdefault(stmt.entity_id, []).append(stmt)
        return result

    def iter_entities(
        self, dataset: str | None = None, first: str | None = None, last: str | None = None
    ) -> Iterator[list[StatementRow]]:
        query = select(statements).order_by(statements.c.entity_id)
        if dataset is not None:
            query = query.where(statements.c.dataset == dataset)
        if first is not None:
            query = query.where(statements.c.entity_id >= first)
        if last is not None:
            query = query.where(statements.c.entity_id <= last)
        with self.engine.connect() as conn:
            for _, group in groupby(_raw_rows(conn, query), key=_entity_id):
                yield [StatementRow._make(r) for r in group]

    def iter_batches(
        self, size: int = 50_000, props: Collection[str] | None = None
    ) -> Iterator[list[LightRow]]:
        c = statements.c
        query = select(c.entity_id, c.schema, c.prop, c.prop_type, c.value, c.dataset)
        if props is not None:
            query = query.where(c.prop.in_(sorted(set(props))))
        # The primary key is (entity_id, id): this order is the table's own, no sort.
        query = query.order_by(c.entity_id, c.id)
        with self.engine.connect() as conn, _scan_cache(conn):
            batch: list[LightRow] = []
            for chunk in _raw_batches(conn, query, size):
                batch.extend(chunk)
                # Hold back the last entity: its other statements may be in the next chunk.
                last = batch[-1][0]
                cut = len(batch)
                while cut and batch[cut - 1][0] == last:
                    cut -= 1
                if cut:
                    yield batch[:cut]
                    batch = batch[cut:]
            if batch:
                yield batch

    def iter_ids(self) -> Iterator[str]:
        query = select(statements.c.entity_id).distinct().order_by(statements.c.entity_id)
        with self.engine.connect() as conn:
            for (entity_id,) in _raw_rows(conn, query):
                yield entity_id

    def references(self, entity_id: str) -> list[Reference]:
        query = (
            select(statements.c.entity_id, statements.c.schema, statements.c.prop)
            .where(statements.c.prop_type == "entity")
            .where(statements.c.value == entity_id)
            .distinct()
            .order_by(statements.c.entity_id, statements.c.prop)
        )
        with self.engine.connect() as conn:
            return [Reference(r.entity_id, r.schema, r.prop) for r in conn.execute(query)]

    def referrers(self, entity_ids: Collection[str]) -> set[str]:
        return referrers.referrers(self.engine, entity_ids)

    def datasets(self) -> list[DatasetStats]:
        with self.engine.connect() as conn:
            return counts.read(conn)

    def sources(self) -> list[SourceInfo]:
        query = select(sources).order_by(sources.c.dataset, sources.c.name)
        with self.engine.connect() as conn:
            return [
                SourceInfo(
                    sha256=r.sha256,
                    name=r.name,
                    dataset=r.dataset,
                    size=r.size,
                    kind=r.kind,
                    ingested_at=r.ingested_at,
                    records=r.records,
                    recipe=r.recipe,
                )
                for r in conn.execute(query)
            ]

    def count_statements(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(statements)).scalar_one())

    def count_entities(self) -> int:
        query = select(func.count(statements.c.entity_id.distinct()))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def close(self) -> None:
        self.engine.dispose()

    def erase(
        self, dataset: str | None = None, entity_ids: Collection[str] | None = None
    ) -> tuple[set[str], int]:
        sqlite = self.engine.dialect.name == "sqlite"
        with self.engine.begin() as conn:
            if sqlite:
                # Overwrite freed pages with zeros: erased values must not linger.
                conn.exec_driver_sql("PRAGMA secure_delete=ON")
            if entity_ids is not None:
                touched, deleted = _erase_entities(conn, entity_ids, dataset)
            elif dataset is not None:
                touched, deleted = _erase_dataset(conn, dataset)
            else:
                raise ValueError("erase needs a dataset or entity ids")
            if deleted:
                # Deleted documents linger in an index's segments: rebuild it whole.
                changes.bump(conn, [changes.EVERYTHING])
        if sqlite:
            with self.engine.connect() as conn:
                # Fold the write-ahead log (which holds the old pages) into the file.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return touched, deleted

    def iter_values(self, prop_types: Collection[str]) -> Iterator[tuple[str, ...]]:
        c = statements.c
        query = (
            select(c.entity_id, c.schema, c.prop, c.prop_type, c.value, c.dataset)
            .where(c.prop_type.in_(sorted(prop_types)))
            .order_by(c.entity_id)
        )
        with self.engine.connect() as conn:
            yield from _raw_rows(conn, query)


def _erase_dataset(conn: Connection, dataset: str) -> tuple[set[str], int]:
    """Delete a dataset's statements, sources and counts; the ids touched, the number
    of statements deleted."""
    c = statements.c
    counts.hold(conn, dataset)  # first: see `counts.hold`
    found = select(c.entity_id).where(c.dataset == dataset).distinct()
    touched = {r[0] for r in conn.execute(found)}
    deleted = conn.execute(delete(statements).where(c.dataset == dataset)).rowcount or 0
    conn.execute(delete(sources).where(sources.c.dataset == dataset))
    counts.forget(conn, dataset)
    return touched, deleted


def _erase_entities(
    conn: Connection, entity_ids: Collection[str], dataset: str | None
) -> tuple[set[str], int]:
    """Delete entities' statements (only `dataset`'s, if given) and take them off the
    counts; the ids touched, the number of statements deleted."""
    c = statements.c
    touched: set[str] = set()
    gone = counts.Tally()
    ids = sorted(set(entity_ids))
    for start in range(0, len(ids), _ID_CHUNK):
        where: list[ColumnElement[bool]] = [c.entity_id.in_(ids[start : start + _ID_CHUNK])]
        if dataset is not None:
            where.append(c.dataset == dataset)
        # The rows deleted are the rows counted off: one statement, so a write
        # committing meanwhile cannot fall between a count and the delete.
        query = delete(statements).where(*where).returning(c.entity_id, c.dataset, c.prop)
        for entity_id, name, prop in conn.execute(query):
            touched.add(entity_id)
            gone.add(name, -1, -1 if prop == BASE_PROP else 0)
    counts.apply(conn, gone)
    return touched, -sum(n for n, _ in gone.added.values())
