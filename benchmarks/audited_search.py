"""Audited search at 1M entities: what access checks and the audit log add to a search.

Reuses the search benchmark's 1M-entity store (`benchmarks/search.py` makes it in
benchmarks/work/search/threadline); rebuilds its index if the index is outdated.
Then, in one process, every query runs in rotation through:

- `index.search`: the same SearchQuery straight on the index, with no context, no
  access check and no audit event (what `Workbench.search` did before issue 3);
- `Workbench.search` as the local admin, audit log in its default durability (`normal`:
  WAL, no fsync per event);
- the same with `audit_sync=full` (one fsync per event);
- `Workbench.search` as an investigator granted the dataset (access filter clauses and
  a principal read from the access store on every call).

The goal (issue 3): auditing adds at most 10% to the p50 search latency.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import WORK_DIR, fresh_dir, header, snapshot_threadline, table

LIMIT = 10
DATASET = "bench"


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95 and p99 of latencies in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def prepare(source: Path, data_dir: Path) -> str:
    """A copy of the search benchmark's store with a current index and an empty log."""
    from threadline.app.workbench import Workbench
    from threadline.errors import IndexOutdated

    if not data_dir.exists():
        if not (source / "store.sqlite3").exists():
            raise SystemExit(f"{source} has no store: run `python benchmarks/search.py` first")
        fresh_dir(data_dir)
        shutil.copy2(source / "store.sqlite3", data_dir / "store.sqlite3")
        if (source / "index").exists():
            shutil.copytree(source / "index", data_dir / "index")
    for leftover in ("audit.sqlite3", "audit.sqlite3-wal", "audit.sqlite3-shm"):
        (data_dir / leftover).unlink(missing_ok=True)
    shutil.rmtree(data_dir / "audit-checkpoints", ignore_errors=True)
    with Workbench(data_dir=data_dir) as bench:
        try:
            count = bench.index.count()
            return f"index current ({count:,} entities)"
        except IndexOutdated:
            pass
        started = time.perf_counter()
        count = bench.reindex()
        return f"index rebuilt: {count:,} entities in {time.perf_counter() - started:.0f}s"


def measure(data_dir: Path, texts: list[str], rounds: int) -> dict[str, list[float]]:
    from threadline.app.context import Context
    from threadline.app.workbench import Workbench
    from threadline.search import SearchQuery
    from threadline.settings import Settings

    admin = Workbench(Settings(data_dir=data_dir))
    full = Workbench(Settings(data_dir=data_dir, audit_sync="full"))
    if "ana" not in {u.name for u in admin.user_list()}:
        admin.user_add("ana", "investigator")
    admin.grant("ana", DATASET, "read")
    ana = admin.acting(Context(actor="ana", purpose="benchmark"))
    index = admin.index

    def bare(text: str) -> Any:
        return index.search(SearchQuery(text=text, limit=LIMIT))

    engines = {
        "index.search (no context, no audit)": bare,
        "Workbench.search, local admin, audit normal": lambda t: admin.search(t, limit=LIMIT),
        "Workbench.search, investigator, audit normal": lambda t: ana.search(t, limit=LIMIT),
        "Workbench.search, local admin, audit full": lambda t: full.search(t, limit=LIMIT),
    }
    samples: dict[str, list[float]] = {name: [] for name in engines}
    for run in engines.values():  # warm every path once
        for text in texts[:20]:
            run(text)
    # Two rotations: the three paths without fsync, then the bare index against the
    # fsync-per-event path (whose fsyncs would otherwise slow the next path's commit).
    # Within a rotation the first path of a query reads its postings cold, so the
    # order turns with every query: each path comes first equally often.
    names = list(engines)
    rotations = [names[:3], [names[0], names[3]]]
    same = 0
    for group in rotations:
        for _ in range(rounds):
            for i, text in enumerate(texts):
                hits: dict[str, list[str]] = {}
                shift = i % len(group)
                for name in group[shift:] + group[:shift]:
                    started = time.perf_counter()
                    result = engines[name](text)
                    samples[name].append((time.perf_counter() - started) * 1000)
                    hits[name] = [h.id for h in result.hits]
                if len(group) == 3:
                    same += len({tuple(h) for h in hits.values()}) == 1
    samples["_same"] = [float(same)]
    samples["_events"] = [float(admin.accountability.log.size())]
    full.close()
    admin.close()
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=1_000, help="default 1000")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the queries")
    parser.add_argument("--source", type=Path, default=WORK_DIR / "search" / "threadline")
    parser.add_argument("--work", type=Path, default=WORK_DIR / "audited-search")
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    code = snapshot_threadline(args.work)
    header("Audited search: 1M entities, access checks and audit events per search", code)
    queries = WORK_DIR / "search" / "queries.jsonl"
    with queries.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh][: args.queries]
    print(prepare(args.source, args.work / "data"))
    samples = measure(args.work / "data", texts, args.rounds)
    same, events = samples.pop("_same")[0], samples.pop("_events")[0]
    base = percentiles(samples["index.search (no context, no audit)"])
    rows: list[list[object]] = []
    for name, values in samples.items():  # the bare path ran in both rotations
        p = percentiles(values)
        rows.append([name, p["p50"], p["p95"], p["p99"], f"{p['p50'] / base['p50']:.3f}"])
    print(table(["path", "p50 ms", "p95 ms", "p99 ms", "p50 ratio"], rows))
    runs = len(texts) * args.rounds
    print(f"\n{runs:,} queries per path; identical top-{LIMIT} (bare, admin, investigator) "
          f"for {same:,.0f}; {events:,.0f} audit events in the log")  # fmt: skip
    audited = percentiles(samples["Workbench.search, local admin, audit normal"])
    overhead = audited["p50"] / base["p50"] - 1
    verdict = "PASS" if overhead <= 0.10 else "FAIL"
    print(f"goal: auditing adds <= 10% to p50: +{overhead * 100:.1f}% {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
