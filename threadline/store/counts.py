"""Counts per dataset (statements, entities, source files), kept in the store.

`datasets()` answers from the `dataset_counts` table: counting ten million statements
with a GROUP BY takes seconds. Every write adds what it changed, in the transaction of
its statements, so counts and statements commit (or roll back) together. A write counts
what it really inserted (the driver's row count of `INSERT ... ON CONFLICT DO NOTHING`),
not what it offered: a statement stored before is not counted again. An erasure counts
off the rows its DELETE returns, or drops a whole dataset's row.

The entities of a dataset are the distinct entity ids with an id statement (BASE_PROP)
in it. An id statement's key is (dataset, entity id, BASE_PROP, entity id): one per
entity and dataset, so counting new id statements counts new entities.

A store written before the table existed is counted once, when it is opened; the
`counts` row of `store_meta` records that the table is complete. `recount` counts
again on demand (`threadline recount`) and says which datasets had drifted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Executable,
    Select,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from threadline.model.statement import BASE_PROP
from threadline.store.base import DatasetStats
from threadline.store.tables import dataset_counts, sources, statements, store_meta

MARKER = "counts"  # the store_meta row saying the counts table is complete


@dataclass
class Tally:
    """What one transaction changed, by dataset: statements and entities added (or
    removed, when negative), and the datasets whose sources changed."""

    added: dict[str, list[int]] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)

    def add(self, dataset: str, statements: int, entities: int) -> None:
        entry = self.added.setdefault(dataset, [0, 0])
        entry[0] += statements
        entry[1] += entities


def _upsert(dialect: str) -> Callable[..., Any]:
    """The dialect's INSERT, the one with `ON CONFLICT` clauses."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


@cache
def _adding(dialect: str) -> tuple[Executable, Executable]:
    """The statements `apply` runs, built once per dialect: built anew for every
    write, they cost more than running them (1.07 -> 0.15 ms a write; a PDF ingest
    writes once a file, issue 14), and SQLAlchemy's compiled cache now hits."""
    made = _upsert(dialect)(dataset_counts)
    c = dataset_counts.c
    upsert = made.on_conflict_do_update(
        index_elements=[c.dataset],
        set_={
            "statements": c.statements + made.excluded.statements,
            "entities": c.entities + made.excluded.entities,
        },
    )
    # Recounted, not added: a known file is updated in place, and there are few.
    files = select(func.count()).where(sources.c.dataset == c.dataset).scalar_subquery()
    changed = c.dataset.in_(bindparam("names", expanding=True))
    recount = update(dataset_counts).where(changed).values(sources=files)
    return upsert, recount


def grouped(where: Sequence[ColumnElement[bool]] = ()) -> Select[Any]:
    """(dataset, statements, entities) of the statements matching `where`, counted the
    slow way, by a scan: what the table is rebuilt from."""
    c = statements.c
    return (
        select(
            c.dataset,
            func.count().label("statements"),
            func.count().filter(c.prop == BASE_PROP).label("entities"),
        )
        .where(*where)
        .group_by(c.dataset)
    )


def apply(conn: Connection, tally: Tally) -> None:
    """Inside a write transaction: add a tally to the counts."""
    names = sorted(set(tally.added) | tally.sources)
    if not names:
        return
    upsert, recount = _adding(conn.dialect.name)
    # In name order, so two writers lock the rows of the datasets they share in the
    # same order and never deadlock (PostgreSQL locks each row it updates).
    rows = []
    for name in names:
        added, entities = tally.added.get(name, [0, 0])
        rows.append({"dataset": name, "statements": added, "entities": entities, "sources": 0})
    conn.execute(upsert, rows)
    if tally.sources:
        conn.execute(recount, {"names": sorted(tally.sources)})


def hold(conn: Connection, dataset: str) -> None:
    """Inside a write transaction, before a dataset is erased: lock its counts row
    (PostgreSQL; SQLite has one writer at a time anyway). A writer adding to the
    dataset meanwhile then either committed first, and its statements are erased
    with the rest, or commits after, and its counts start a new row."""
    query = select(dataset_counts.c.dataset).where(dataset_counts.c.dataset == dataset)
    conn.execute(query.with_for_update())


def forget(conn: Connection, dataset: str) -> None:
    """Inside a write transaction: a dataset was erased whole, its sources with it."""
    conn.execute(delete(dataset_counts).where(dataset_counts.c.dataset == dataset))


def read(conn: Connection) -> list[DatasetStats]:
    """Every dataset that holds statements, by name."""
    c = dataset_counts.c
    query = (
        select(c.dataset, c.entities, c.statements, c.sources)
        .where(c.statements > 0)
        .order_by(c.dataset)
    )
    return [DatasetStats(*row) for row in conn.execute(query)]


def rebuild(conn: Connection) -> None:
    """Inside a write transaction: count every dataset again from the statements and
    sources, and mark the table complete."""
    if conn.dialect.name == "postgresql":
        # Writers committing during the scan would add to rows about to be replaced:
        # they wait for this transaction instead, and then add to the new rows.
        conn.exec_driver_sql("LOCK TABLE dataset_counts IN EXCLUSIVE MODE")
    conn.execute(delete(dataset_counts))
    names = ["dataset", "statements", "entities", "sources"]
    found = grouped().add_columns(literal_column("0").label("sources"))
    files = select(
        sources.c.dataset,
        literal_column("0").label("statements"),
        literal_column("0").label("entities"),
        func.count().label("sources"),
    ).group_by(sources.c.dataset)
    both = union_all(found, files).subquery()
    summed = select(both.c.dataset, *(func.sum(both.c[n]) for n in names[1:]))
    conn.execute(insert(dataset_counts).from_select(names, summed.group_by(both.c.dataset)))
    _mark(conn)


@dataclass(frozen=True)
class Drift:
    """A dataset whose kept counts differed from its statements and sources: what the
    table said (None: no row) and what a scan found (None: nothing there)."""

    dataset: str
    kept: DatasetStats | None
    counted: DatasetStats | None


def _every_row(conn: Connection) -> dict[str, DatasetStats]:
    c = dataset_counts.c
    query = select(c.dataset, c.entities, c.statements, c.sources)
    found = {row[0]: DatasetStats(*row) for row in conn.execute(query)}
    # A row of nothing (every statement erased) is the same as no row.
    return {k: v for k, v in found.items() if v.statements or v.entities or v.sources}


def recount(conn: Connection) -> list[Drift]:
    """Inside a write transaction: rebuild the counts from the statements and sources
    (see `rebuild`), and return the datasets whose kept counts were wrong, by name."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE dataset_counts IN EXCLUSIVE MODE")
    else:
        # A write first: the transaction holds SQLite's write lock before it reads,
        # so no writer commits between the counts read here and the rebuild.
        conn.execute(update(store_meta).where(store_meta.c.name == MARKER).values(value=""))
    kept = _every_row(conn)
    rebuild(conn)
    counted = _every_row(conn)
    return [
        Drift(name, kept.get(name), counted.get(name))
        for name in sorted(set(kept) | set(counted))
        if kept.get(name) != counted.get(name)
    ]


def _mark(conn: Connection) -> int:
    """Record that the counts are complete; 0 if they already were."""
    marker = {"name": MARKER, "value": "", "number": 1}
    # Whether the row went in, by what it returns: psycopg's row count here is -1.
    made = _upsert(conn.dialect.name)(store_meta)
    mine = made.on_conflict_do_nothing().returning(store_meta.c.name)
    return 0 if conn.execute(mine, marker).first() is None else 1


def initialise(engine: Engine) -> None:
    """Count a store written before the counts table existed, once. Stores opened at
    the same moment by several processes agree: the first to mark it counts it."""
    with engine.connect() as conn:
        query = select(store_meta.c.name).where(store_meta.c.name == MARKER)
        if conn.execute(query).first() is not None:
            return
    with engine.begin() as conn:
        # A write first, so this transaction holds the write lock before it counts.
        if _mark(conn):
            rebuild(conn)
