"""The audit log in SQL through SQLAlchemy Core: by default its own SQLite file.

The audit log lives apart from the store (`audit.sqlite3` in the data directory), so
erasing or rebuilding the store never touches it, and it can sit on another disk.
`audit_entries` holds each sealed frame and its leaf hash; `audit_values` the erasable
values with their salts, which `erase` deletes (SQLite overwrites deleted content with
zeros, and the write-ahead log is emptied afterwards, so nothing lingers in the files).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    tuple_,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from threadline.audit.errors import AuditError, AuditWriteError
from threadline.audit.event import AuditEvent
from threadline.audit.log import AuditLog, LogEntry, TreeHead
from threadline.audit.merkle import TreeBuilder
from threadline.audit.query import AuditQuery
from threadline.audit.seal import ID, Sealed, SealedValue, erases, folded, seal
from threadline.audit.where import fold_function, where
from threadline.store.sqlengine import private_file

AUDIT_FILE = "audit.sqlite3"
_INSERT = 'INSERT INTO audit_entries ("index", data, leaf_hash) VALUES (?, ?, ?)'
_INSERT_VALUE = 'INSERT INTO audit_values ("index", slot, salt, value) VALUES (?, ?, ?, ?)'
_BATCH = 5_000
_CHUNK = 500  # ids per DELETE ... IN (...), under every database's parameter limit
_SELECT = 500  # entries per filtered read (their values are then read by index)
_UNREADABLE = "the audit log could not be searched (`audit verify` names a damaged entry)"

metadata = MetaData()
audit_entries = Table(
    "audit_entries",
    metadata,
    Column("index", Integer, primary_key=True, autoincrement=False),
    Column("data", LargeBinary, nullable=False),
    Column("leaf_hash", LargeBinary(32), nullable=False),
)
index_column = audit_entries.c["index"]
audit_values = Table(
    "audit_values",
    metadata,
    Column("index", Integer, nullable=False),
    Column("slot", String, nullable=False),
    Column("salt", LargeBinary, nullable=False),
    Column("value", String, nullable=False),
    PrimaryKeyConstraint("index", "slot"),
)
value_index = audit_values.c["index"]


def _value_rows(start: int, sealed: Sequence[Sealed]) -> list[tuple[int, str, bytes, str]]:
    return [
        (start + i, slot, v.salt, v.value)
        for i, item in enumerate(sealed)
        for slot, v in item.values.items()
    ]


def audit_url(data_dir: Path) -> str:
    """The SQLAlchemy URL of the audit log file in a data directory."""
    return f"sqlite:///{data_dir / AUDIT_FILE}"


SYNC_MODES = ("full", "normal")


def _sqlite_pragmas(synchronous: str) -> Any:
    """Connection set-up: WAL, and the durability the caller chose.

    `full` makes each commit reach the disk before append returns (one fsync per
    event). `normal` in WAL mode survives a crash of the process, never corrupts the
    log, and loses at most the last commits on a power cut: checkpoints, which are
    fsynced, bound what such a loss could hide.
    """

    def connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
        # Erased values are overwritten with zeros, not left in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()
        fold_function(dbapi_conn)  # purposes are filtered case-folded, as in Python

    return connect


APPEND_ATTEMPTS = 50  # catch-ups before an append gives up on a busy log


class SQLAuditLog(AuditLog):
    """Entries in the `audit_entries` table; one writing process at a time."""

    def __init__(self, url: str, synchronous: str = "full") -> None:
        if synchronous not in SYNC_MODES:
            raise ValueError(f"audit synchronous mode must be one of {SYNC_MODES}")
        kwargs: dict[str, Any] = {}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        private_file(url)
        self.engine: Engine = create_engine(url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas(synchronous))
        try:
            metadata.create_all(self.engine)
        except SQLAlchemyError as error:
            self.engine.dispose()
            raise AuditWriteError(f"cannot open the audit log: {error}") from error
        # Built lazily from the stored leaf hashes, then kept up to date by appends.
        self._tree: TreeBuilder | None = None
        self._next = 0  # the index of the next entry
        # A SQLite file gets one plain sqlite3 connection for appends: an audited
        # search pays for one insert, and SQLAlchemy's machinery around it cost more
        # than the insert itself. Anything unusual goes through the engine instead.
        self._direct: sqlite3.Connection | None = None
        database = self.engine.url.database
        # A plain file path only: a URI database ("file:...?mode=ro&uri=true") keeps to
        # the engine, which reads its options (sqlite3.connect would make a new file).
        plain = database not in (None, "", ":memory:") and not self.engine.url.query
        if self.engine.dialect.name == "sqlite" and database and plain:
            try:
                self._direct = sqlite3.connect(
                    database, check_same_thread=False, isolation_level=None
                )
                _sqlite_pragmas(synchronous)(self._direct, None)
            except sqlite3.Error as error:
                self.engine.dispose()
                raise AuditWriteError(f"cannot open the audit log: {error}") from error

    def extend(self, events: Sequence[AuditEvent]) -> range:
        sealed = [seal(event) for event in events]
        encoded = [item.frame for item in sealed]
        hashes = [item.leaf for item in sealed]
        # Optimistic: append after the entries this object knows of. If another
        # connection (another process: a CLI command beside the server, say) appended
        # meanwhile, the first new index is taken (primary key), so catch up from the
        # table and try again; under a steady stream of appends that can take a few.
        tree: TreeBuilder | None = None
        start = 0
        for attempt in range(1, APPEND_ATTEMPTS + 1):
            if self._direct is not None:
                if self._tree is not None and self._insert_direct(sealed):
                    start, tree = self._next, self._tree
                    break
                # Nothing known yet, or another process took the index: hold SQLite's
                # write lock, then catch up and insert (no index can be taken between).
                start, tree = self._insert_locked(sealed)
                break
            try:
                with self.engine.begin() as conn:
                    if self._tree is None or attempt > 1:
                        self._synced(conn)
                    tree, start = self._tree, self._next
                    if encoded:
                        rows = [
                            {"index": start + i, "data": data, "leaf_hash": digest}
                            for i, (data, digest) in enumerate(zip(encoded, hashes, strict=True))
                        ]
                        conn.execute(insert(audit_entries), rows)
                        values = [
                            {"index": i, "slot": slot, "salt": salt, "value": value}
                            for i, slot, salt, value in _value_rows(start, sealed)
                        ]
                        if values:
                            conn.execute(insert(audit_values), values)
            except IntegrityError as error:
                self._tree = None
                if attempt == APPEND_ATTEMPTS:
                    raise AuditWriteError(f"audit event not written: {error}") from error
                continue
            except (SQLAlchemyError, OSError) as error:
                self._tree = None  # a half-read catch-up must not be trusted
                raise AuditWriteError(f"audit event not written: {error}") from error
            break
        # Only a committed transaction moves the tree.
        assert tree is not None
        tree.extend(hashes)
        self._next = start + len(encoded)
        return range(start, start + len(encoded))

    def _insert_direct(self, sealed: list[Sealed]) -> bool:
        """Insert at the known next index on the plain connection; False if another
        writer took that index first."""
        assert self._direct is not None
        rows = [(self._next + i, item.frame, item.leaf) for i, item in enumerate(sealed)]
        cursor = self._direct.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(_INSERT, rows)
            cursor.executemany(_INSERT_VALUE, _value_rows(self._next, sealed))
            cursor.execute("COMMIT")
        except sqlite3.IntegrityError:
            if self._direct.in_transaction:
                self._direct.rollback()
            self._tree = None
            return False
        except sqlite3.Error as error:
            if self._direct.in_transaction:
                self._direct.rollback()
            self._tree = None
            raise AuditWriteError(f"audit event not written: {error}") from error
        finally:
            cursor.close()
        return True

    def _insert_locked(self, sealed: list[Sealed]) -> tuple[int, TreeBuilder]:
        """Append on the plain connection under SQLite's write lock, taken first: the
        catch-up read then sees every committed entry, and no other writer can commit
        until this one does. Optimistic retries alone lost to a steady stream of appends
        from the processes of `serve --workers N` (a 503 in the load test)."""
        assert self._direct is not None
        cursor = self._direct.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            with self.engine.connect() as conn:
                tree = self._synced(conn)
            start = self._next
            rows = [(start + i, item.frame, item.leaf) for i, item in enumerate(sealed)]
            cursor.executemany(_INSERT, rows)
            cursor.executemany(_INSERT_VALUE, _value_rows(start, sealed))
            cursor.execute("COMMIT")
        except (sqlite3.Error, SQLAlchemyError) as error:
            if self._direct.in_transaction:
                self._direct.rollback()
            self._tree = None
            raise AuditWriteError(f"audit event not written: {error}") from error
        finally:
            cursor.close()
        return start, tree

    def _synced(self, conn: Any) -> TreeBuilder:
        """The compact tree, caught up with rows another connection may have added.

        The next entry's index is one past the largest stored one. In an intact log
        that is the tree's size; if rows were deleted behind the log's back it is
        larger, and appends still go on (after the hole, which `verify` names).
        """
        following = self._stored_size(conn)
        tree = self._tree
        if tree is None or self._next > following:
            tree, self._next = TreeBuilder(), 0
        if self._next < following:
            query = (
                select(audit_entries.c.leaf_hash)
                .where(index_column >= self._next)
                .order_by(index_column)
            )
            tree.extend(bytes(row[0]) for row in conn.execute(query))
        self._tree, self._next = tree, following
        return tree

    @staticmethod
    def _stored_size(conn: Any) -> int:
        # max(index) is a b-tree lookup; count(*) would scan the whole table.
        top = conn.execute(select(func.max(index_column))).scalar()
        return 0 if top is None else int(top) + 1

    def entries(self, start: int = 0, end: int | None = None) -> Iterator[LogEntry]:
        last: int | None = None
        with self.engine.connect() as conn:
            while True:
                query = select(audit_entries).order_by(index_column).limit(_BATCH)
                if last is not None:
                    query = query.where(index_column > last)
                elif start > 0:
                    query = query.where(index_column >= start)
                if end is not None:
                    query = query.where(index_column < end)
                rows = conn.execute(query).all()
                values = _values(conn, rows[0][0], rows[-1][0]) if rows else {}
                for index, data, digest in rows:
                    # A row rewritten by hand may come back as TEXT: its bytes are still
                    # what verify must hash (and find altered).
                    yield LogEntry(index, _as_bytes(data), _as_bytes(digest), values.get(index, {}))
                if len(rows) < _BATCH:
                    return
                last = rows[-1][0]

    def select(
        self,
        query: AuditQuery,
        *,
        before: int | None = None,
        after: int | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> Iterator[LogEntry]:
        # The database filters (`threadline.audit.where`); a batch at a time, each on a
        # connection closed before its entries are handed out.
        conditions = where(query, self.engine.dialect.name, audit_entries, audit_values)
        low, high, left = after, before, limit
        while left is None or left > 0:
            batch = _SELECT if left is None else min(left, _SELECT)
            chosen = select(audit_entries).where(*conditions)
            if low is not None:
                chosen = chosen.where(index_column > low)
            if high is not None:
                chosen = chosen.where(index_column < high)
            order = index_column.desc() if newest_first else index_column
            try:
                with self.engine.connect() as conn:
                    rows = conn.execute(chosen.order_by(order).limit(batch)).all()
                    values = _values_at(conn, [row[0] for row in rows])
            except SQLAlchemyError as error:
                raise AuditError(f"{_UNREADABLE}: {error}") from error
            for index, data, digest in rows:
                yield LogEntry(index, _as_bytes(data), _as_bytes(digest), values.get(index, {}))
            if len(rows) < batch:
                return
            if newest_first:
                high = rows[-1][0]
            else:
                low = rows[-1][0]
            if left is not None:
                left -= len(rows)

    def count(self, query: AuditQuery, *, before: int | None = None) -> int:
        conditions = where(query, self.engine.dialect.name, audit_entries, audit_values)
        counted = select(func.count()).select_from(audit_entries).where(*conditions)
        if before is not None:
            counted = counted.where(index_column < before)
        try:
            with self.engine.connect() as conn:
                return int(conn.execute(counted).scalar() or 0)
        except SQLAlchemyError as error:
            raise AuditError(f"{_UNREADABLE}: {error}") from error

    def erase(self, ids: Collection[str], needles: Collection[str]) -> int:
        needles = folded(needles)
        erased = 0
        try:
            with self.engine.begin() as conn:
                listed = sorted(ids)
                for at in range(0, len(listed), _CHUNK):
                    chunk = listed[at : at + _CHUNK]
                    erased += conn.execute(
                        delete(audit_values)
                        .where(audit_values.c.slot.startswith(ID, autoescape=True))
                        .where(audit_values.c.value.in_(chunk))
                    ).rowcount
                if needles:
                    # Free text is matched case-folded, which SQL cannot do for every
                    # script: read it (the few text slots of each event) and pick here.
                    texts = select(value_index, audit_values.c.slot, audit_values.c.value).where(
                        ~audit_values.c.slot.startswith(ID, autoescape=True)
                    )
                    doomed = [
                        (index, slot)
                        for index, slot, value in conn.execute(texts)
                        if erases(slot, value, (), needles)
                    ]
                    for at in range(0, len(doomed), _CHUNK):
                        keys = doomed[at : at + _CHUNK]
                        where = tuple_(value_index, audit_values.c.slot).in_(keys)
                        erased += conn.execute(delete(audit_values).where(where)).rowcount
            if self.engine.dialect.name == "sqlite":
                with self.engine.connect() as conn:
                    # Copy the zeroed pages into the file and empty the write-ahead log,
                    # whose older frames still hold the values.
                    conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        except SQLAlchemyError as error:
            raise AuditWriteError(f"audit values not erased: {error}") from error
        return erased

    def size(self) -> int:
        with self.engine.connect() as conn:
            return self._stored_size(conn)

    def head(self) -> TreeHead:
        with self.engine.connect() as conn:
            tree = self._synced(conn)
            return TreeHead(tree.size, tree.root())

    def close(self) -> None:
        if self._direct is not None:
            self._direct.close()
            self._direct = None
        self.engine.dispose()


def _values(conn: Any, first: int, last: int) -> dict[int, dict[str, SealedValue]]:
    """The stored values of entries first..last, by entry index and slot."""
    query = select(audit_values).where(value_index >= first).where(value_index <= last)
    found: dict[int, dict[str, SealedValue]] = {}
    for index, slot, salt, value in conn.execute(query):
        found.setdefault(index, {})[str(slot)] = SealedValue(_as_bytes(salt), str(value))
    return found


def _values_at(conn: Any, indexes: list[int]) -> dict[int, dict[str, SealedValue]]:
    """The stored values of these entries, by entry index and slot."""
    if not indexes:
        return {}
    query = select(audit_values).where(value_index.in_(indexes))
    found: dict[int, dict[str, SealedValue]] = {}
    for index, slot, salt, value in conn.execute(query):
        found.setdefault(index, {})[str(slot)] = SealedValue(_as_bytes(salt), str(value))
    return found


def _as_bytes(value: Any) -> bytes:
    """A stored BLOB, or a value someone rewrote as TEXT or a number, as bytes."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8")
