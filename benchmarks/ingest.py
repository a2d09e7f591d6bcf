"""Ingest benchmark: a donations register through `ftm map | ftm aggregate` and through threadline.

The anchor is followthemoney's own command line: map the CSV with the mapping, then merge
the fragments into entities. Threadline does the same mapping, writes statements to SQLite
and indexes them in tantivy. The issue's goal: threadline at least 3x faster.

    python benchmarks/ingest.py               # 100,000 rows
    python benchmarks/ingest.py --rows 5000   # a quick run
    python benchmarks/ingest.py --profile     # plus a cProfile of threadline's ingest
    python benchmarks/ingest.py --work W2 --compare-with W1/threadline/store.sqlite3
                                              # same statements as an earlier run's?
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import io
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from _common import (
    WORK_DIR,
    TreeRSS,
    _descendants,
    cpu_ticks,
    fresh_dir,
    header,
    in_child,
    load,
    peak_rss_mb,
    print_profile,
    snapshot_threadline,
    table,
    verdict,
)
from _donations import ENTITIES_PER_ROW, write_register

GOAL_RATIO = 3.0


@dataclass
class ThreadlineRun:
    """What one threadline ingest took and produced."""

    seconds: float
    store_seconds: float
    entities: int
    statements: int
    indexed: int
    errors: int
    tree_mb: float
    rss_mb: float
    cpu: float = 0.0  # CPU seconds of the ingest, its worker processes included
    profile: str = ""


class TreeCPU:
    """CPU seconds (user + system) this process and its descendants spend in a block.

    Worker processes are children of a forkserver and may end before the block does,
    so getrusage cannot see them; /proc is sampled every `interval` seconds instead,
    keeping each process's last reading (a worker's last fraction of a second before it
    exits may be missed). Linux only; elsewhere 0.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._last: dict[int, int] = {}
        self._first: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def seconds(self) -> float:
        return sum(v - self._first.get(p, 0) for p, v in self._last.items()) / self._tick

    def __enter__(self) -> TreeCPU:
        self._first = self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> dict[int, int]:
        ticks = {pid: cpu_ticks(pid) for pid in _descendants(os.getpid())}
        now = {pid: value for pid, value in ticks.items() if value is not None}
        for pid, value in now.items():
            self._last[pid] = max(self._last.get(pid, 0), value)
        return now


def count_lines(path: Path) -> int:
    """Non-empty lines of a text file."""
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_anchor(mapping: Path, out: Path) -> tuple[float, float, float]:
    """Wall seconds of `ftm map` then `ftm aggregate`, their CPU seconds, and their peak
    RSS in MiB.

    They run in the mapping's folder: `ftm map` opens csv_url relative to its working
    directory, which makes the YAML's relative csv_url work for both tools.
    """
    mapped, aggregated = out / "mapped.ijson", out / "agg.ijson"
    with TreeRSS(include_self=False) as tree:
        started, cpu = time.perf_counter(), _children_cpu()
        for command in (
            ["ftm", "map", str(mapping), "-o", str(mapped)],
            ["ftm", "aggregate", "-i", str(mapped), "-o", str(aggregated)],
        ):
            subprocess.run(command, cwd=mapping.parent, check=True, stderr=subprocess.DEVNULL)
        seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    return seconds, cpu, tree.peak_mb


def run_threadline(mapping: Path, data_dir: Path, profile_out: Path | None) -> ThreadlineRun:
    """`Workbench.ingest` into an empty data directory, in a fresh process (see `in_child`)."""
    return in_child(_threadline_phase, mapping, data_dir, profile_out)


def _threadline_phase(mapping: Path, data_dir: Path, profile_out: Path | None) -> ThreadlineRun:
    """Wall seconds of the ingest and its counts; with `profile_out`, under cProfile."""
    # Imported here, after main() froze the package (see `snapshot_threadline`).
    from threadline.app.workbench import Workbench
    from threadline.progress import NoProgress

    profile = cProfile.Profile() if profile_out is not None else None
    fresh_dir(data_dir)
    with Workbench(data_dir=data_dir) as workbench:
        with TreeRSS() as tree, TreeCPU() as cpu:
            started = time.perf_counter()
            if profile is not None:
                profile.enable()
            reports = workbench.ingest([mapping], progress=NoProgress())
            if profile is not None:
                profile.disable()
            seconds = time.perf_counter() - started
        stats = workbench.datasets()
        text = ""
        if profile is not None and profile_out is not None:
            profile.dump_stats(profile_out)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                print_profile(profile)
            text = out.getvalue()
        return ThreadlineRun(
            seconds=seconds,
            store_seconds=sum(r.seconds for r in reports),
            entities=sum(d.entities for d in stats),
            statements=sum(d.statements for d in stats),
            indexed=workbench.index.count(),
            errors=sum(len(r.errors) for r in reports),
            tree_mb=tree.peak_mb,
            rss_mb=peak_rss_mb(),
            cpu=cpu.seconds,
            profile=text,
        )


# Every column but the timestamps, which say when the run happened.
_COMPARED = (
    "entity_id, id, schema, prop, prop_type, value, original_value, lang, dataset, source, location"
)


def compare_stores(mine: Path, other: Path) -> bool:
    """Print whether two threadline stores hold the same statements (all columns but
    first/last seen), with a digest of each; True if they do."""
    digests, counts = [], []
    for path in (mine, other):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            digest, count = hashlib.sha256(), 0
            query = f"SELECT {_COMPARED} FROM statements ORDER BY entity_id, id"
            for row in db.execute(query):
                digest.update(repr(row).encode())
                count += 1
            digests.append(digest.hexdigest()[:16])
            counts.append(count)
        finally:
            db.close()
    same = digests[0] == digests[1]
    print(
        f"statements compared with {other}: {counts[0]:,} here, {counts[1]:,} there; "
        f"digests {digests[0]} / {digests[1]}: {'IDENTICAL' if same else 'DIFFERENT'}"
    )
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="CSV rows (default 100000)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed")
    parser.add_argument("--work", type=Path, default=WORK_DIR / "ingest", help="scratch folder")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run both tools N times, report medians"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also run threadline once under cProfile"
    )
    parser.add_argument(
        "--profile-out", type=Path, help="with --profile, save the pstats file here"
    )
    parser.add_argument(
        "--compare-with",
        type=Path,
        help="a store.sqlite3 of an earlier run (its --work/threadline): same statements?",
    )
    args = parser.parse_args(argv)

    work = fresh_dir(args.work)
    code = snapshot_threadline(work)
    header(f"Ingest benchmark: {args.rows:,} donation rows", code)
    data = fresh_dir(work / "data")
    started = time.perf_counter()
    mapping = write_register(data, args.rows, args.seed)
    csv_mb = (data / "donations.csv").stat().st_size / 2**20
    print(
        f"generated {args.rows:,} rows ({csv_mb:.1f} MiB CSV, {ENTITIES_PER_ROW} mapped "
        f"entities per row) in {time.perf_counter() - started:.1f}s: {mapping}"
    )

    anchor_times: list[float] = []
    anchor_cpu: list[float] = []
    runs: list[ThreadlineRun] = []
    anchor_mb = 0.0
    for attempt in range(1, args.repeat + 1):
        # Alternate the tools, so a burst of other load on the machine hits both.
        anchor_out = fresh_dir(work / "ftm")
        seconds, cpu, peak = run_anchor(mapping, anchor_out)
        anchor_times.append(seconds)
        anchor_cpu.append(cpu)
        anchor_mb = max(anchor_mb, peak)
        fragments = count_lines(anchor_out / "mapped.ijson")
        print(
            f"[{attempt}] ftm map + aggregate: {seconds:.1f}s (CPU {cpu:.1f}s), "
            f"{fragments:,} fragments; load {load()}"
        )
        run = run_threadline(mapping, work / "threadline", None)
        runs.append(run)
        print(
            f"[{attempt}] threadline ingest:   {run.seconds:.1f}s (CPU {run.cpu:.1f}s; store write "
            f"{run.store_seconds:.1f}s, index {run.seconds - run.store_seconds:.1f}s), "
            f"{run.statements:,} statements, {run.indexed:,} documents indexed, "
            f"{run.errors} row errors; load {load()}"
        )
    anchor_entities = count_lines(anchor_out / "agg.ijson")
    print()
    anchor_seconds = statistics.median(anchor_times)
    tl_seconds = statistics.median(r.seconds for r in runs)
    ratio = anchor_seconds / tl_seconds
    a_cpu, tl_cpu = statistics.median(anchor_cpu), statistics.median(r.cpu for r in runs)
    rows = [
        ["ftm map + ftm aggregate", anchor_seconds, a_cpu, round(args.rows / anchor_seconds),
         anchor_entities, 1.0, 1.0, anchor_mb],
        ["threadline ingest", tl_seconds, tl_cpu, round(args.rows / tl_seconds), run.entities,
         ratio, a_cpu / tl_cpu if tl_cpu else 0.0, max(r.tree_mb for r in runs)],
    ]  # fmt: skip
    headers = ["tool", "seconds", "CPU s", "rows/s", "entities", "ratio", "CPU ratio",
               "peak RSS MiB (all processes)"]  # fmt: skip
    if args.repeat > 1:
        print(f"seconds are the median of {args.repeat} runs")
    print(table(headers, rows))
    print()
    print(
        f"entities: threadline store {run.entities:,} vs `ftm aggregate` lines "
        f"{anchor_entities:,}: {'equal' if run.entities == anchor_entities else 'DIFFERENT'}"
    )
    print(f"statements in the store: {run.statements:,}")
    print(f"goal: ratio >= {GOAL_RATIO:g}x (anchor s / threadline s): {ratio:.2f}x "
          f"{verdict(ratio >= GOAL_RATIO)}")  # fmt: skip
    print(
        f"peak RSS of threadline's main process: {max(r.rss_mb for r in runs):,.0f} MiB "
        f"(with its workers, sampled every 0.25 s: {max(r.tree_mb for r in runs):,.0f} MiB)"
    )
    print(f"load average after the run: {load()}")
    if args.compare_with is not None:
        compare_stores(work / "threadline" / "store.sqlite3", args.compare_with)

    if args.profile:
        print()
        out = args.profile_out or work / "ingest.prof"
        profiled = run_threadline(mapping, work / "threadline-profiled", out)
        print(
            f"# cProfile of threadline ingest, main process ({profiled.seconds:.1f}s under the "
            "profiler; worker processes are not in it)"
        )
        print()
        print(profiled.profile)
        print(f"pstats saved to {out} (python -m pstats {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
