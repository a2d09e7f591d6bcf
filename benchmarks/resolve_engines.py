"""Resolution on DuckDB against Spark (local mode) on one store: time and same clusters?

    python benchmarks/resolve_engines.py --size 100000
    python benchmarks/resolve_engines.py --size 1000000 --engines duckdb,spark

Writes the seeded hard person set (`_hardset.py`) at `--size` as FtM files, ingests it
once, then for each engine resolves a copy of that data dir (`resolve(full=True,
engine=...)`) and times the run, the Spark session's start included. The Spark run
scores with the DuckDB run's model (as tests/engines/test_dialects.py), so the clusters
must be the same; the table says whether they are. Needs the `spark` extra and Java.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path
from typing import Any

import _hardset
from _common import WORK_DIR, fresh_dir
from _product_entities import write_jsonl

from threadline.app.workbench import Workbench

RESULTS = Path(__file__).resolve().parent / "results" / "resolve-engines.md"


def _clusters(canonical: dict[str, str]) -> set[frozenset[str]]:
    found: dict[str, set[str]] = {}
    for record, cluster in canonical.items():
        found.setdefault(cluster, {cluster}).add(record)
    return {frozenset(c) for c in found.values()}


def _resolve(base: Path, work: Path, engine: str, model: Path | None) -> dict[str, Any]:
    data = work / engine
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(base, data)
    if model is not None:
        shutil.copy(model, data / "resolve" / "model.json")
    with Workbench(data_dir=data) as bench:
        started = time.perf_counter()
        report = bench.resolve(full=True, engine=engine)
        seconds = time.perf_counter() - started
        clusters = _clusters(bench.store.judgements.canonical_map())
    return {"engine": engine, "seconds": seconds, "report": report, "clusters": clusters}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--work", type=Path, default=WORK_DIR / "resolve-engines")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    work = fresh_dir(args.work)
    started = time.perf_counter()
    files = write_jsonl(_hardset.generate(args.size, args.seed).rows(), work / "files", "flat")
    base = work / "base"
    with Workbench(data_dir=base) as bench:
        for path, dataset in files:
            bench.ingest([path], dataset)
    (base / "resolve").mkdir(parents=True, exist_ok=True)
    print(f"{args.size:,} records written and ingested in {time.perf_counter() - started:.0f} s")
    runs: list[dict[str, Any]] = []
    model: Path | None = None
    for engine in args.engines.split(","):
        runs.append(_resolve(base, work, engine, model))
        model = model or work / engine / "resolve" / "model.json"
        r = runs[-1]
        print(f"{engine}: {r['seconds']:.1f} s, {r['report'].compared:,} pairs", flush=True)
    reference = runs[0]["clusters"]
    lines = [
        f"# Resolution engines: {args.size:,} hard-set records (seed {args.seed})",
        "",
        f"Command: `python benchmarks/resolve_engines.py --size {args.size}"
        f" --engines {args.engines}`  ",
        f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end"
        " (shared with other benchmarks). Spark: local[2], its session start included.",
        "",
        "| engine | seconds | pairs | merged | clusters | same clusters as first |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        rep = r["report"]
        same = "yes" if r["clusters"] == reference else "NO"
        lines.append(
            f"| {r['engine']} | {r['seconds']:.1f} | {rep.compared:,} | {rep.merged:,}"
            f" | {rep.clusters:,} | {same} |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a", encoding="utf-8") as out:
        out.write(table + "\n")


if __name__ == "__main__":
    main()
