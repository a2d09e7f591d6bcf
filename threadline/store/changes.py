"""The store's change log: a generation number bumped by every write that changes
what search should show, and the entity ids each generation touched.

Derived views (the search index) record the generation they reflect; when theirs lags
the store's, the ids changed since say what to rebuild. A write records its generation
in the same transaction as its data, so the two can never disagree after a crash.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from threadline.store.tables import changes, insert_rows, statements, store_meta

# An id in the change log that stands for every entity: the change cannot be told
# entity by entity (an erasure, or a store that predates the log), so rebuild.
EVERYTHING = "*"


@dataclass(frozen=True)
class Generation:
    """Which store (a random id made when it was created) and how many changes in."""

    store_id: str
    number: int


def _meta(conn: Connection) -> dict[str, tuple[str, int]]:
    query = select(store_meta.c.name, store_meta.c.value, store_meta.c.number)
    return {r[0]: (r[1], r[2]) for r in conn.execute(query)}


def _number(conn: Connection, name: str) -> int:
    return int(_meta(conn)[name][1])


def initialise(engine: Engine, insert_fn: Any) -> None:
    """Give a store its id and generation 0 (or 1 with `EVERYTHING` changed, for a
    store that already holds data written before the log existed). Stores opened at
    the same moment by several processes agree: the first insert wins."""
    with engine.connect() as conn:
        if "store_id" in _meta(conn):
            return
        has_data = conn.execute(select(statements.c.entity_id).limit(1)).first() is not None
    number = 1 if has_data else 0
    rows = [
        {"name": "generation", "value": "", "number": number},
        {"name": "store_id", "value": uuid.uuid4().hex, "number": 0},
        {"name": "pruned", "value": "", "number": 0},
    ]
    with engine.begin() as conn:
        # A write first, so this transaction holds the write lock before it reads.
        # Whether the row went in, by what it returns: psycopg's row count here is -1.
        mine = insert_fn(store_meta).on_conflict_do_nothing().returning(store_meta.c.name)
        if conn.execute(mine, rows[0]).first() is not None:
            conn.execute(insert(store_meta), rows[1:])
            if has_data:
                conn.execute(insert(changes), [{"generation": 1, "entity_id": EVERYTHING}])


def next_generation(conn: Connection) -> int:
    """Inside a write transaction: take the next generation number."""
    row = store_meta.c
    # Incremented in SQL, not read and written back: the update takes the write lock
    # (of the database, or the row), so generations commit in number order.
    conn.execute(update(store_meta).where(row.name == "generation").values(number=row.number + 1))
    return _number(conn, "generation")


def record(conn: Connection, number: int, entity_ids: Collection[str]) -> None:
    """Log the ids generation `number` changed, in the transaction that took it."""
    insert_rows(conn, changes, [(number, i) for i in sorted(set(entity_ids))])


def bump(conn: Connection, entity_ids: Collection[str]) -> int:
    """Inside a write transaction: the next generation, with the ids it changes."""
    number = next_generation(conn)
    record(conn, number, entity_ids)
    return number


def current(conn: Connection) -> Generation:
    """The store's id and generation."""
    meta = _meta(conn)
    return Generation(meta["store_id"][0], int(meta["generation"][1]))


def since(conn: Connection, number: int) -> set[str] | None:
    """Ids changed after generation `number`; None when the log cannot tell (pruned
    past it, or a change to everything)."""
    if number < _number(conn, "pruned"):
        return None
    query = select(changes.c.entity_id).where(changes.c.generation > number).distinct()
    found = {r[0] for r in conn.execute(query)}
    return None if EVERYTHING in found else found


def prune(conn: Connection, upto: int) -> None:
    """Forget the changes up to generation `upto` (a view has caught up with them)."""
    if upto <= _number(conn, "pruned"):
        return
    conn.execute(delete(changes).where(changes.c.generation <= upto))
    conn.execute(update(store_meta).where(store_meta.c.name == "pruned").values(number=upto))


@dataclass
class MemoryChanges:
    """The same log in memory, shared by the memory store and its judgements."""

    store_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    number: int = 0
    pruned: int = 0
    log: dict[int, set[str]] = field(default_factory=dict)

    def bump(self, entity_ids: Collection[str]) -> int:
        self.number += 1
        self.log[self.number] = set(entity_ids)
        return self.number

    def current(self) -> Generation:
        return Generation(self.store_id, self.number)

    def since(self, number: int) -> set[str] | None:
        if number < self.pruned:
            return None
        found = {i for g, ids in self.log.items() if g > number for i in ids}
        return None if EVERYTHING in found else found

    def prune(self, upto: int) -> None:
        if upto > self.pruned:
            self.log = {g: ids for g, ids in self.log.items() if g > upto}
            self.pruned = upto
