"""Experiment: what the SQLite insert of ingest costs, and what would make it cheaper.

Replays the statements of an ingest benchmark run (`benchmarks/work/ingest/threadline`)
into a fresh database with threadline's own table definition, timing variants of the
insert. Rows arrive shuffled, as they do in ingest: entity ids are hashes, so a register
in file order writes all over the (entity_id, id) clustered table.

    python benchmarks/ingest.py                 # makes the store this replays
    python benchmarks/_sqlite_insert.py         # then this, about 2 minutes
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import WORK_DIR, load, table

BATCH = 50_000  # threadline's _WRITE_BATCH
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "temp_store=MEMORY")


@dataclass(frozen=True)
class Variant:
    """One way to write the same rows."""

    label: str
    cache_kib: int = 131_072  # threadline's cache_size
    upsert: bool = True
    index_during_load: bool = True
    sort_all: bool = False


VARIANTS = [
    Variant("as threadline does it: upsert, batches of 50k sorted, 128 MiB cache"),
    Variant("cache_size 1 GiB", cache_kib=1_048_576),
    Variant("plain INSERT (no ON CONFLICT)", upsert=False),
    Variant("partial index built after the load", index_during_load=False),
    Variant("all rows sorted by (entity_id, id) first", sort_all=True),
    Variant("all sorted + partial index after the load", sort_all=True, index_during_load=False),
]


def replay(rows: list[tuple[Any, ...]], ddl: list[str], variant: Variant, path: Path) -> float:
    """Seconds to write `rows` into a new database at `path` the way `variant` says."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in (*PRAGMAS, f"cache_size=-{variant.cache_kib}"):
        con.execute(f"PRAGMA {pragma}")
    table_ddl, index_ddl = ddl[0], ddl[1:]
    con.execute(table_ddl)
    if variant.index_during_load:
        for statement in index_ddl:
            con.execute(statement)
    marks = ",".join("?" * len(rows[0]))
    sql = f"INSERT INTO statements VALUES ({marks})"
    if variant.upsert:
        sql += " ON CONFLICT (entity_id, id) DO UPDATE SET last_seen = excluded.last_seen"
    data = sorted(rows) if variant.sort_all else rows
    started = time.perf_counter()
    con.execute("BEGIN")
    for start in range(0, len(data), BATCH):
        con.executemany(sql, sorted(data[start : start + BATCH]))
    if not variant.index_during_load:
        for statement in index_ddl:
            con.execute(statement)
    con.execute("COMMIT")
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "store",
        nargs="?",
        type=Path,
        default=WORK_DIR / "ingest" / "threadline" / "store.sqlite3",
        help="a threadline SQLite store to replay",
    )
    args = parser.parse_args(argv)
    source = sqlite3.connect(args.store)
    ddl = [
        r[0]
        for r in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'statements' AND sql IS NOT NULL"
        )
    ]
    rows = source.execute("SELECT * FROM statements").fetchall()
    source.close()
    random.Random(1).shuffle(rows)
    print(f"replaying {len(rows):,} statements from {args.store}; load {load()}")
    target = WORK_DIR / "sqlite-insert.sqlite3"
    results = [(v.label, replay(rows, ddl, v, target)) for v in VARIANTS]
    base = results[0][1]
    lines = [[label, seconds, f"{base / seconds:.2f}x"] for label, seconds in results]
    print(table(["variant", "seconds", "vs now"], lines))
    print(f"load after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
