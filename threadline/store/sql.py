"""The SQL store: SQLite (WAL) by default, any SQLAlchemy URL PostgreSQL can join later."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import groupby
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    create_engine,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from threadline.errors import ConfigError
from threadline.model.provenance import SourceInfo
from threadline.model.relationship import Reference
from threadline.model.statement import BASE_PROP, StatementRow
from threadline.store import changes, counts, migrations, referrers
from threadline.store.base import DatasetStats, LightRow, Store, StoreWriter
from threadline.store.changes import Generation
from threadline.store.judgements import SQLJudgements
from threadline.store.migrations.schema import Registry
from threadline.store.sqlengine import private_file
from threadline.store.sqlwriter import STAGE_ROWS, SQLWriter
from threadline.store.tables import sources, statements

_ID_CHUNK = 500


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


# A driver row as a StatementRow: `tuple.__new__` directly, without `_make`'s call of
# its own (a third faster, over the millions of rows indexing reads back).
_statement_row: Callable[[tuple[Any, ...]], StatementRow] = partial(tuple.__new__, StatementRow)


class SQLStore(Store):
    """Statements in a SQL database through SQLAlchemy Core."""

    def __init__(
        self, url: str, schema: Registry | None = None, stage_rows: int = STAGE_ROWS
    ) -> None:
        self._stage_rows = stage_rows  # see `SQLWriter.flush`
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
                    stmt = _statement_row(row)
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
                yield list(map(_statement_row, group))

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

    def source_names(self, sha256s: Collection[str] | None = None) -> dict[str, str]:
        if sha256s is None:
            return super().source_names()
        # An entity read names a few files: read their rows, not every file's (a store
        # holds thousands, and one entity view loads entities several times).
        wanted = sorted(set(sha256s))
        names: dict[str, str] = {}
        c = sources.c
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), _ID_CHUNK):
                chunk = wanted[start : start + _ID_CHUNK]
                query = select(c.sha256, c.name).where(c.sha256.in_(chunk))
                for sha256, name in conn.execute(query.order_by(c.dataset, c.name)):
                    names[sha256] = name
        return names

    def source_datasets(self) -> set[str]:
        # The few distinct names, not every file's row (a search asks, each time).
        with self.engine.connect() as conn:
            return set(conn.execute(select(sources.c.dataset).distinct()).scalars())

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
