"""Batch screening benchmark: a 10,000-row list screened against a store of N entities.

The list is what a newsroom screens: people's names (half of them of people in the
store, with one typo, their birth date and nationality; half of nobody in it), as a
CSV. It goes through the public verb (`Workbench.match_file`, what `threadline match
FILE.csv` calls), audited per row, and the anchor is the same names through raw
tantivy (one fuzzy search per row, no access, no scoring, no audit): the floor that
retrieval alone costs.

Each phase runs in its own child process (its peak RSS is its own). The store (ingest,
then one resolution run, which `match` needs for its model) is kept under
benchmarks/work/screen-batch/ and reused by later runs with the same size.

    python benchmarks/screen_batch.py --entities 100000          # 10,000 rows
    python benchmarks/screen_batch.py --entities 1000000 --rows 10000
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import time
from pathlib import Path
from random import Random
from typing import Any

import orjson
from _common import WORK_DIR, fresh_dir, header, in_child, peak_rss_mb, table, verdict
from _entities import make_queries, write_entities

DATASET = "bench"
SEED = 17
GOAL_S = 60.0
LIMIT = 5


def phase_build(jsonl: Path, data_dir: Path) -> dict[str, Any]:
    """Ingest the entities and run one resolution (the match model comes from it)."""
    from threadline.app.workbench import Workbench

    fresh_dir(data_dir)
    with Workbench(data_dir=data_dir) as bench:
        started = time.perf_counter()
        bench.ingest([jsonl], dataset=DATASET)
        ingested = time.perf_counter() - started
        started = time.perf_counter()
        bench.resolve()
        resolved = time.perf_counter() - started
    return {"ingest_s": ingested, "resolve_s": resolved, "rss_mb": peak_rss_mb()}


def write_list(jsonl: Path, sources: list[Any], rows: int, path: Path) -> int:
    """The CSV to screen: known people with a typo (plus their birth date and
    nationality where the store has them), then names of nobody. Returns how many
    rows name someone in the store."""
    people = [s for s in sources if s.schema == "Person"][: rows // 2]
    wanted = {s.id for s in people}
    facts: dict[str, dict[str, list[str]]] = {}
    with jsonl.open("rb") as fh:
        for line in fh:
            if b'"Person"' not in line:
                continue
            data = orjson.loads(line)
            if data["id"] in wanted:
                facts[data["id"]] = data["properties"]
    typos = make_queries(people, jsonl, SEED)
    rng = Random(SEED + 5)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Full name", "Born", "Country", "Note"])
        for query in typos:
            props = facts.get(query.source.id, {})
            born = props.get("birthDate", [""])[0]
            country = props.get("nationality", [""])[0]
            writer.writerow([query.text, born, country, query.source.id])
        for n in range(rows - len(typos)):
            first = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
            last = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4))
            writer.writerow([f"{first.title()} {last.title()}", "", "", f"nobody-{n}"])
    return len(typos)


def phase_screen(data_dir: Path, path: Path, out: Path) -> dict[str, Any]:
    """The list through `Workbench.match_file`, as `threadline match FILE.csv` runs it."""
    from threadline.app.workbench import Workbench

    with Workbench(data_dir=data_dir) as bench:
        bench.index.count()  # opened before the clock starts, as a server has it open
        started = time.perf_counter()
        report = bench.match_file(
            path,
            schema="Person",
            maps={"name": "Full name", "birthDate": "Born", "nationality": "Country"},
            out=out,
            limit=LIMIT,
        )
        seconds = time.perf_counter() - started
    found: dict[str, str] = {}
    with out.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["rank"] == "1":
                found[row["Note"]] = row["candidate_id"]
    return {
        "seconds": seconds,
        "rows": report.screened,
        "candidates": report.candidates,
        "matches": report.matches,
        "found": found,
        "rss_mb": peak_rss_mb(),
    }


def phase_raw(jsonl: Path, folder: Path, path: Path) -> dict[str, Any]:
    """The anchor: each row's name through raw tantivy (build excluded from the time)."""
    from _rawtantivy import RawSearch, build

    fresh_dir(folder)
    build(jsonl, folder, DATASET)
    index = RawSearch(folder)
    with path.open(newline="", encoding="utf-8") as fh:
        names = [row["Full name"] for row in csv.DictReader(fh)]
    started = time.perf_counter()
    for name in names:
        index.search(name, limit=LIMIT * 5, facets=False)
    return {"seconds": time.perf_counter() - started, "rss_mb": peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--build-only", action="store_true", help="Make the store and stop.")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    work = WORK_DIR / "screen-batch" / f"{args.entities}"
    work.mkdir(parents=True, exist_ok=True)
    jsonl, data_dir = work / "entities.jsonl", work / "data"
    ready = work / "built.json"
    code = "(working tree)"
    header(f"Batch screening: {args.rows:,} rows against {args.entities:,} entities", code)
    started = time.perf_counter()
    sources = write_entities(jsonl, args.entities, SEED, args.rows)
    print(f"generated {args.entities:,} entities in {time.perf_counter() - started:.0f}s")
    if ready.exists():
        built = orjson.loads(ready.read_bytes())
        print("store: reused from an earlier run")
    else:
        built = in_child(phase_build, jsonl, data_dir)
        ready.write_bytes(orjson.dumps(built))
    print(
        f"store: ingest {built['ingest_s']:.0f}s, resolve {built['resolve_s']:.0f}s, "
        f"peak RSS {built['rss_mb']:,.0f} MiB"
    )
    if args.build_only:
        return
    path = work / f"list-{args.rows}.csv"
    known = write_list(jsonl, sources, args.rows, path)
    out = work / "results.csv"
    screened = in_child(phase_screen, data_dir, path, out)
    raw = in_child(phase_raw, jsonl, work / "raw", path)
    shutil.rmtree(work / "raw", ignore_errors=True)
    hits = sum(1 for note, found in screened["found"].items() if note == found)
    rows = [
        [
            "threadline match_file (retrieval, scoring, access, audit)",
            screened["seconds"],
            args.rows / screened["seconds"],
            screened["rss_mb"],
            screened["seconds"] / raw["seconds"],
        ],
        [
            "raw tantivy, one fuzzy search per row (anchor)",
            raw["seconds"],
            args.rows / raw["seconds"],
            raw["rss_mb"],
            1.0,
        ],
    ]
    print(table(["path", "total s", "rows/s", "peak RSS MiB", "ratio"], rows))
    print()
    print(
        f"{screened['rows']:,} rows, {screened['candidates']:,} candidate rows, "
        f"{screened['matches']:,} matches; {hits:,} of {known:,} known people ranked first"
    )
    ok = screened["seconds"] <= GOAL_S
    print(
        f"goal: {args.rows:,} rows in <= {GOAL_S:.0f} s: {screened['seconds']:.1f} s {verdict(ok)}"
    )


if __name__ == "__main__":
    main()
