"""Benchmark: `threadline datasets` from kept counts against the GROUP BY it replaced.

Writes N statements (default 10 million: entities of one id statement and three
property statements, spread over 12 datasets, with a source file each) into a new
SQLite store through the store's own writer, in transactions of 50,000 rows as ingest
does, so the counts are the ones every write keeps. Then, in one run:

- **old**: the GROUP BY over all statements that `Store.datasets()` ran before (median
  of `--repeat` runs);
- **new**: `Store.datasets()` reading the counts table, on an open store (median of 200
  calls) and in a fresh process as the CLI does it (open the store, then ask);
- **upgrade**: counting a store made before the counts table once, when it is opened;
- **write**: what keeping the counts costs a write: `--write` statements (default
  500,000) written into a fresh store, then written again (every statement known), by
  the writer now and by the single upsert it used before.

It checks that both ways give the same counts, and prints a Markdown table.

    python benchmarks/counts.py                      # 10M statements, about 5-10 minutes
    python benchmarks/counts.py --statements 200000  # quick check
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import (
    WORK_DIR,
    fresh_dir,
    header,
    in_child,
    load,
    snapshot_threadline,
    table,
    verdict,
)

BATCH = 50_000
Counted = list[tuple[str, int, int, int]]
DATASETS = 12
GOAL_MS = 50.0
SEEN = "2026-12-06T00:00:00"
PROPS = (("name", "name"), ("nationality", "country"), ("birthDate", "date"))


@dataclass(frozen=True)
class Clock:
    """Seconds on the wall clock, and of this process's CPU: SQLite works in the
    process, so its CPU time is what a busy machine skews least."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        if self.wall < 1:
            return f"{self.wall * 1000:.2f} ms (CPU {self.cpu * 1000:.2f})"
        return f"{self.wall:.1f} s (CPU {self.cpu:.1f})"


def rows(first: int, count: int, base_prop: str) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of statements of entities `first`..: one id statement and three others,
    the entities in 12 datasets of consecutive ids (as files are ingested)."""
    batch: list[tuple[Any, ...]] = []
    for n in range(first, first + count):
        entity_id = f"e{n:09d}"
        dataset = f"ds{(n - first) * DATASETS // count:02d}"
        source = f"src-{dataset}"
        facts = [(base_prop, "id", entity_id)]
        facts += [(p, t, f"{p}-{n % 9973}") for p, t in PROPS]
        for prop, prop_type, value in facts:
            key = hashlib.sha1(f"{dataset}.{entity_id}.{prop}.{value}".encode()).hexdigest()
            row = (entity_id, key, "Person", prop, prop_type, value, None, None)
            batch.append((*row, dataset, source, n, SEEN, SEEN))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def fill(url: str, statements: int) -> float:
    """Write `statements` into a new store with its writer; seconds taken."""
    from threadline.model.provenance import SourceInfo
    from threadline.model.statement import BASE_PROP
    from threadline.store.sql import SQLStore

    store = SQLStore(url)
    started = time.perf_counter()
    for batch in rows(0, statements // 4, BASE_PROP):
        with store.writer() as writer:
            writer.add(batch)
    with store.writer() as writer:
        for d in range(DATASETS):
            name = f"ds{d:02d}"
            writer.add_source(SourceInfo(f"src-{name}", f"{name}.csv", name, 1, "csv", SEEN, 1))
    seconds = time.perf_counter() - started
    store.close()
    return seconds


def old_timed(url: str, repeat: int) -> tuple[Clock, Counted]:
    """What `SQLStore.datasets()` did before the counts table (two GROUP BYs), timed
    on an open engine as the store ran it; median seconds and the counts."""
    from sqlalchemy import create_engine, func, select

    from threadline.model.statement import BASE_PROP
    from threadline.store.tables import sources, statements

    c = statements.c
    counts = (
        select(c.dataset, func.count(), func.count(c.id).filter(c.prop == BASE_PROP))
        .group_by(c.dataset)
        .order_by(c.dataset)
    )
    files = select(sources.c.dataset, func.count()).group_by(sources.c.dataset)
    engine = create_engine(url)

    def datasets() -> Counted:
        with engine.connect() as conn:
            n_sources = {r[0]: r[1] for r in conn.execute(files)}
            return [(n, e, s, n_sources.get(n, 0)) for n, s, e in conn.execute(counts)]

    result = timed(datasets, repeat)
    engine.dispose()
    return result


def timed(function: Callable[[], Any], repeat: int) -> tuple[Clock, Any]:
    """Median wall and CPU seconds of `repeat` calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return Clock(statistics.median(walls), statistics.median(cpus)), result


def new_datasets(url: str, repeat: int) -> tuple[Clock, Counted]:
    from threadline.store.sql import SQLStore

    store = SQLStore(url)
    clock, found = timed(store.datasets, repeat)
    store.close()
    return clock, [(d.name, d.entities, d.statements, d.sources) for d in found]


def cold_datasets(url: str) -> Clock:
    """Time to open the store and ask, in a fresh process (as `threadline datasets`)."""
    from threadline.store.sql import SQLStore

    def ask() -> None:
        store = SQLStore(url)
        store.datasets()
        store.close()

    return timed(ask, 1)[0]


def upgrade(url: str) -> Clock:
    """Seconds to count a store whose counts table is missing, when it is opened."""
    from sqlalchemy import create_engine

    from threadline.store import counts

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM dataset_counts")
        conn.exec_driver_sql(f"DELETE FROM store_meta WHERE name = '{counts.MARKER}'")
    clock = timed(lambda: counts.initialise(engine), 1)[0]
    engine.dispose()
    return clock


def write_cost(folder: Path, statements: int, old: bool) -> tuple[Clock, Clock]:
    """Time to write `statements` into a new store, and to write them again: with the
    writer now, or (`old`) as the writer did before (one upsert, then the change log),
    in the same transactions."""
    from threadline.model.statement import BASE_PROP, StatementRow
    from threadline.store import changes
    from threadline.store.sql import SQLStore
    from threadline.store.tables import statements as table

    path = folder / ("old.sqlite3" if old else "new.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = SQLStore(f"sqlite:///{path}")
    upsert = ""
    if old:
        from sqlalchemy.dialects.sqlite import insert

        stmt = insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["entity_id", "id"], set_={"last_seen": stmt.excluded.last_seen}
        )
        columns = list(StatementRow._fields)
        upsert = str(stmt.compile(dialect=store.engine.dialect, column_keys=columns))
    batches = list(rows(0, statements // 4, BASE_PROP))  # made before the clock starts

    def write() -> None:
        for batch in batches:
            if old:
                with store.engine.begin() as conn:
                    conn.exec_driver_sql(upsert, batch)
                    changes.bump(conn, {r[0] for r in batch})
            else:
                with store.writer() as writer:
                    writer.add(batch)

    first, again = timed(write, 1)[0], timed(write, 1)[0]
    store.close()
    return first, again


def _median(clocks: list[Clock]) -> Clock:
    return Clock(
        statistics.median(c.wall for c in clocks), statistics.median(c.cpu for c in clocks)
    )


def _ratio(old: Clock, new: Clock) -> str:
    def times(a: float, b: float) -> str:
        return f"{a / b:,.2f}x" if a / b < 10 else f"{a / b:,.0f}x"

    return f"{times(old.wall, new.wall)} (CPU {times(old.cpu, new.cpu)})"


def _goal(clock: Clock) -> str:
    return verdict(clock.wall * 1000 <= GOAL_MS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--statements", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the old GROUP BY")
    parser.add_argument("--write", type=int, default=400_000, help="statements, write cost")
    parser.add_argument("--write-rounds", type=int, default=3, help="runs of each write way")
    parser.add_argument("--work", type=Path, default=WORK_DIR / "counts")
    args = parser.parse_args()
    work = fresh_dir(args.work)
    code = snapshot_threadline(work)
    header("Dataset counts: kept counts against the GROUP BY", code)
    url = f"sqlite:///{work / 'store.sqlite3'}"
    filled = in_child(fill, url, args.statements)
    print(f"wrote {args.statements:,} statements through the store's writer in {filled:.0f} s")
    old_s, old = in_child(old_timed, url, args.repeat)
    new_s, new = in_child(new_datasets, url, 200)
    cold_s = in_child(cold_datasets, url)
    upgrade_s = in_child(upgrade, url)
    _, rebuilt = in_child(new_datasets, url, 1)
    same = old == new == rebuilt
    print(
        f"counts: {len(new)} datasets, {sum(d[2] for d in new):,} statements; "
        f"kept counts equal the GROUP BY's: {same}, and after the upgrade: {old == rebuilt}"
    )
    runs: dict[bool, list[tuple[Clock, Clock]]] = {True: [], False: []}
    for _ in range(args.write_rounds):  # alternating, so both see the same machine
        for old_way in (True, False):
            runs[old_way].append(in_child(write_cost, work, args.write, old_way))
    w_old = [_median([r[i] for r in runs[True]]) for i in (0, 1)]
    w_new = [_median([r[i] for r in runs[False]]) for i in (0, 1)]
    print()
    head = ["measure (median: wall, and CPU)", "old", "new", "old / new"]
    print(
        table(
            [*head, f"goal ≤ {GOAL_MS:.0f} ms"],
            [
                ["datasets(), open store", old_s, new_s, _ratio(old_s, new_s), _goal(new_s)],
                ["open store + datasets(), new process", "", cold_s, "", _goal(cold_s)],
                ["upgrade: count an old store once, on open", "", upgrade_s, "", ""],
                [
                    f"write {args.write:,} new statements",
                    w_old[0],
                    w_new[0],
                    _ratio(w_old[0], w_new[0]),
                    "",
                ],
                [
                    f"write the same {args.write:,} again",
                    w_old[1],
                    w_new[1],
                    _ratio(w_old[1], w_new[1]),
                    "",
                ],
            ],
        )
    )
    print(f"\nload:    {load()} (after the run)")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
