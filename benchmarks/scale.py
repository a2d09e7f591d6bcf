"""Scale: ingest, counts, search and resolve through the product, on SQLite and on
PostgreSQL, at a given number of statements (issue 16, `docs/scale.md`).

One generated file of FtM entities (people, companies, organisations; no duplicates,
so resolution's work is blocking and scoring, not merging) is ingested into a fresh
data directory per backend. Then, each phase in a fresh process:
- `datasets()`, the counts a page shows (median of 20 calls);
- `search()` of name queries with one typo (p50, p99, recall@10 of the entity they
  were made from);
- `resolve()`, a full first run.

PostgreSQL is Debian's server, started here in a throwaway folder with its default
durability (fsync on), as the tests start it (`tests/postgres_server.py`); the store
and the audit log both live in it. The index is tantivy in the data directory either
way.

    python benchmarks/scale.py --statements 1000000
    python benchmarks/scale.py --statements 100000 --backends sqlite   # a quick run
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _common import (
    WORK_DIR,
    TreeRSS,
    fresh_dir,
    header,
    in_child,
    load,
    peak_rss_mb,
    snapshot_threadline,
    table,
)
from _entities import make_queries, write_entities

REPO = Path(__file__).resolve().parent.parent
DATASET = "scale"
# Statements per generated entity, measured on 100,000 of them (id and schema
# statements included): sizes the file for a wanted statement count.
STATEMENTS_PER_ENTITY = 5.6
LIMIT = 10


def _settings(data_dir: Path, url: str | None) -> Any:
    from threadline.settings import Settings

    return Settings(data_dir=data_dir, store_url=url, audit_url=url)


def phase_ingest(jsonl: Path, data_dir: Path, url: str | None) -> dict[str, Any]:
    """Ingest the file (store and index) with `Workbench.ingest`."""
    from threadline.app.workbench import Workbench

    with Workbench(_settings(data_dir, url)) as bench, TreeRSS() as tree:
        started = time.perf_counter()
        bench.ingest([jsonl], dataset=DATASET)
        seconds = time.perf_counter() - started
        stats = bench.datasets()
        return {
            "seconds": seconds,
            "entities": sum(d.entities for d in stats),
            "statements": sum(d.statements for d in stats),
            "rss_mb": max(peak_rss_mb(), tree.peak_mb),
        }


def phase_counts(data_dir: Path, url: str | None) -> dict[str, Any]:
    """Open the store and answer `datasets()` 20 times: the median, and the first."""
    from threadline.app.workbench import Workbench

    started = time.perf_counter()
    with Workbench(_settings(data_dir, url)) as bench:
        bench.datasets()
        first = time.perf_counter() - started
        samples = []
        for _ in range(20):
            began = time.perf_counter()
            bench.datasets()
            samples.append(time.perf_counter() - began)
    return {"first_ms": first * 1000, "median_ms": statistics.median(samples) * 1000}


def phase_search(data_dir: Path, url: str | None, queries: list[tuple[str, str]]) -> dict[str, Any]:
    """Each query once after a warm-up of 20: latency percentiles and recall@10."""
    from threadline.app.workbench import Workbench

    with Workbench(_settings(data_dir, url)) as bench:
        for text, _ in queries[:20]:
            bench.search(text, limit=LIMIT)
        samples, found = [], 0
        for text, wanted in queries:
            began = time.perf_counter()
            hits = bench.search(text, limit=LIMIT).hits
            samples.append(time.perf_counter() - began)
            found += any(h.id == wanted for h in hits)
        samples.sort()
        return {
            "p50_ms": statistics.median(samples) * 1000,
            "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000,
            "recall": found / len(queries),
            "rss_mb": peak_rss_mb(),
        }


def phase_resolve(data_dir: Path, url: str | None) -> dict[str, Any]:
    """A first full `resolve()`, index refresh included."""
    from threadline.app.workbench import Workbench

    with Workbench(_settings(data_dir, url)) as bench, TreeRSS() as tree:
        started = time.perf_counter()
        report = bench.resolve()
        return {
            "seconds": time.perf_counter() - started,
            "merges": getattr(report, "merged", None),
            "rss_mb": max(peak_rss_mb(), tree.peak_mb),
        }


@contextmanager
def _backend(name: str, work: Path) -> Iterator[str | None]:
    """None for SQLite (a file in the data dir); a fresh database on a server started
    here for PostgreSQL."""
    if name == "sqlite":
        yield None
        return
    sys.path.insert(0, str(REPO))
    from tests.postgres_server import fresh_database, postgres_server

    folder = Path(tempfile.mkdtemp(prefix="scale-pg-", dir=tempfile.gettempdir()))
    with postgres_server(folder, durable=True) as server:
        yield fresh_database(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--work", type=Path, default=WORK_DIR / "scale")
    parser.add_argument("--no-resolve", action="store_true", help="skip the resolve phase")
    args = parser.parse_args()

    work = fresh_dir(args.work)
    code = snapshot_threadline(work)
    header(f"Scale: {args.statements:,} statements on {args.backends}", code)
    entities = int(args.statements / STATEMENTS_PER_ENTITY)
    jsonl = work / "entities.jsonl"
    began = time.perf_counter()
    sources = write_entities(jsonl, entities, args.seed, args.queries)
    queries = [(q.text, q.source.id) for q in make_queries(sources, jsonl, args.seed)]
    print(f"generated {entities:,} entities in {time.perf_counter() - began:.0f}s\n")

    rows: list[list[object]] = []
    for name in args.backends.split(","):
        with _backend(name, work) as url:
            data_dir = fresh_dir(work / f"data-{name}")
            ingest = in_child(phase_ingest, jsonl, data_dir, url)
            counts = in_child(phase_counts, data_dir, url)
            search = in_child(phase_search, data_dir, url, queries)
            resolve = None if args.no_resolve else in_child(phase_resolve, data_dir, url)
            print(f"{name}: load {load()} after its phases")
        rows.append(
            [
                name,
                f"{ingest['entities']:,}",
                f"{ingest['statements']:,}",
                f"{ingest['seconds']:.0f}",
                f"{ingest['rss_mb']:,.0f}",
                f"{counts['median_ms']:.2f}",
                f"{search['p50_ms']:.1f}",
                f"{search['p99_ms']:.1f}",
                f"{search['recall']:.3f}",
                "-" if resolve is None else f"{resolve['seconds']:.0f}",
                "-" if resolve is None else f"{resolve['rss_mb']:,.0f}",
            ]
        )
    headers = [
        "store",
        "entities",
        "statements",
        "ingest s",
        "ingest RSS MiB",
        "datasets() ms",
        "search p50 ms",
        "search p99 ms",
        "recall@10",
        "resolve s",
        "resolve RSS MiB",
    ]
    print(table(headers, rows))
    print(
        "\ningest: store and index, one file, Workbench.ingest; RSS: the process tree's peak."
        "\nsearch: Workbench.search with facets, one typo per query; recall@10: the source "
        "entity among the first 10.\nresolve: a first full Workbench.resolve(), the index "
        "refresh included; the set has no duplicates."
    )


if __name__ == "__main__":
    main()
