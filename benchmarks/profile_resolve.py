"""Where `Workbench.resolve()` spends its time: phase by phase, on a copy of a data dir.

    python benchmarks/profile_resolve.py /tmp/speed/stores/hard-flat            # phases
    python benchmarks/profile_resolve.py DATA_DIR --repeat 3                     # medians
    python benchmarks/profile_resolve.py DATA_DIR --cprofile /tmp/resolve.prof   # + cProfile
    python benchmarks/profile_resolve.py DATA_DIR --save /tmp/before.json        # results
    python benchmarks/profile_resolve.py DATA_DIR --compare /tmp/before.json     # same?

Each run copies DATA_DIR to a scratch folder first (resolve writes judgements), opens a
Workbench there and calls `resolve(full=True)`. Phases are timed by wrapping the
functions the run calls (nothing in threadline changes). `--save` writes the canonical
map and the active 'same' judgements' pairs; `--compare` checks a run gives the same.
Each phase shows wall and CPU seconds (CPU is the steadier figure on a shared machine);
the store-side run and the search index refresh after it show the peak RSS of the whole
process tree, as the index's worker processes count (`THREADLINE_WORKERS=1` keeps the
refresh in this process, so its CPU shows too), and the CPU of the whole process tree
(sampled from /proc: worker processes are a forkserver's children, which getrusage
cannot see). On a store of more than one batch the addresses are split in a worker
process (threadline.resolve.worker): "prepare: addresses" then does not show, and the
worker's CPU is only in the tree's. The merged entities' documents are begun in the
index's worker processes while the run writes its judgements (`indexer.Ahead`), so
part of the refresh's work falls inside "Resolution.run (all)".
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import resource
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _common import TreeRSS
from ingest import TreeCPU

PHASES: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)  # this process's CPU time (all its threads)
# Peak RSS of the process tree (index workers included) during the two halves of a run.
TREE: dict[str, float] = {}
# CPU seconds of the whole process tree (index and address workers included) in them.
TREE_CPU: dict[str, float] = defaultdict(float)
TREE_LABELS = ("Resolution.run (all)", "refresh (index, after run)")
ORDER: list[str] = []  # the labels in the order they are declared (printed so)


def _timed(owner: Any, name: str, label: str) -> None:
    original = getattr(owner, name)
    ORDER.append(label)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        tree = TreeRSS() if label in TREE_LABELS else None
        spent = TreeCPU(0.25) if label in TREE_LABELS else None
        try:
            if tree is None or spent is None:
                return original(*args, **kwargs)
            with tree, spent:
                return original(*args, **kwargs)
        finally:
            PHASES[label] += time.perf_counter() - started
            CPU[label] += time.process_time() - cpu
            if tree is not None and spent is not None:
                TREE[label] = max(TREE.get(label, 0.0), tree.peak_mb)
                TREE_CPU[label] += spent.seconds

    setattr(owner, name, wrapper)


def _instrument() -> None:
    from threadline.app import indexer, resolution
    from threadline.app.verbs.resolution import ResolutionVerbs
    from threadline.engines.duckdb import DuckDBEngine
    from threadline.resolve import prepare as preparing
    from threadline.store import judgements

    # Labels are phases; indented labels are parts of the phase above them.
    _timed(resolution.Resolution, "_rows", "read records (_rows)")
    _timed(resolution, "neighbour_names", "neighbour names (relations)")
    _timed(resolution, "_with_neighbours", "fingerprints with neighbours")
    _timed(DuckDBEngine, "known_fingerprints", "known fingerprints")
    _timed(resolution, "prepare", "prepare (all)")
    _timed(preparing, "address_columns", "  prepare: addresses")
    _timed(resolution, "full_dates", "full dates")
    _timed(resolution.priors.Records, "from_table", "priors records")
    _timed(DuckDBEngine, "load", "duckdb: load")
    _timed(DuckDBEngine, "candidates", "duckdb: blocking (candidates)")
    _timed(DuckDBEngine, "levels", "duckdb: scoring (levels)")
    _timed(resolution, "train_model", "train model (EM)")
    _timed(DuckDBEngine, "merge_pairs", "duckdb: merge pairs")
    _timed(resolution.Resolution, "_learn", "learn from judgements")
    _timed(resolution.Resolution, "_apply", "apply (all)")
    _timed(resolution.priors, "apply", "  apply: priors")
    _timed(resolution, "cluster", "  apply: clustering")
    _timed(resolution.Resolution, "_keep_refusals", "  apply: keep refusals")
    _timed(resolution.Resolution, "_recanonicalise", "  apply: recanonicalise")
    _timed(judgements.SQLJudgements, "apply", "  apply: write judgements")
    _timed(resolution.Resolution, "run", "Resolution.run (all)")
    _timed(ResolutionVerbs, "_refresh", "refresh (index, after run)")
    _timed(indexer, "update", "  refresh: search index update")


@contextmanager
def _copy(source: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="resolve-profile-") as scratch:
        target = Path(scratch) / "data"
        shutil.copytree(source, target)
        yield target


def _current_index(bench: Any) -> None:
    """Rebuild the copy's search index (untimed) if an older threadline built it: the
    refresh after resolving would refuse it. Rebuild DATA_DIR's own to skip this."""
    from threadline.errors import IndexOutdated

    try:
        bench.index  # noqa: B018 - opening it is the check
    except IndexOutdated:
        print("the search index is outdated: rebuilding it (untimed)", flush=True)
        bench.reindex()


def _results(bench: Any) -> dict[str, Any]:
    canonical = bench.store.judgements.canonical_map()
    same = sorted(
        [j.left, j.right] for j in bench.store.judgements.all() if j.verdict.value == "same"
    )
    return {"canonical": dict(sorted(canonical.items())), "same": same}


def run_once(
    source: Path, profile: Path | None
) -> tuple[float, dict[str, tuple[float | None, float | None]], dict[str, Any], Any]:
    from threadline.app.workbench import Workbench

    PHASES.clear()
    CPU.clear()
    with _copy(source) as data_dir:
        bench = Workbench(data_dir=data_dir)
        _current_index(bench)
        profiler = cProfile.Profile() if profile else None
        started, cpu = time.perf_counter(), time.process_time()
        with TreeCPU(0.25) as spent:
            if profiler:
                profiler.enable()
            report = bench.resolve(full=True)
            if profiler:
                profiler.disable()
                profiler.dump_stats(str(profile))
        total = time.perf_counter() - started
        CPU["resolve() total"] = time.process_time() - cpu
        # Worker processes are the forkserver's children, which getrusage cannot see:
        # their CPU is sampled from /proc (TreeCPU), the whole tree less this process.
        TREE_CPU["resolve() total"] = spent.seconds
        CPU["worker processes"] = max(0.0, spent.seconds - CPU["resolve() total"])
        results = _results(bench)
        bench.close()
    labels = [*ORDER, *(k for k in [*PHASES, *CPU] if k not in ORDER)]
    phases = {k: (PHASES.get(k), CPU.get(k)) for k in labels if k in PHASES or k in CPU}
    return total, phases, results, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cprofile", type=Path, default=None)
    parser.add_argument("--save", type=Path, default=None)
    parser.add_argument("--compare", type=Path, default=None)
    args = parser.parse_args()
    _instrument()
    totals: list[float] = []
    phases: dict[str, list[tuple[float | None, float | None]]] = defaultdict(list)
    results: dict[str, Any] = {}
    for n in range(args.repeat):
        total, found, results, report = run_once(args.data_dir, args.cprofile if n == 0 else None)
        totals.append(total)
        for label, seconds in found.items():
            phases[label].append(seconds)
        print(f"run {n + 1}: {total:.1f} s, {report.records} records, {report.merged} merged")
    # CPU time is the steadier measure on a shared machine: wall time waits for others.
    print(f"\n{'phase':34} {'wall s':>8} {'cpu s':>8}   (medians of {args.repeat})")
    for label, values in phases.items():
        print(f"{label:34} {_median([w for w, _ in values])} {_median([c for _, c in values])}")
    print(f"{'resolve() total':34} {statistics.median(totals):8.2f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss:.0f} MiB")
    for label, peak in TREE.items():
        print(f"peak RSS of the process tree in {label}: {peak:.0f} MiB (last run)")
    for label, seconds in TREE_CPU.items():
        print(f"CPU of the process tree in {label}: {seconds:.1f} s (last run)")
    if args.save:
        args.save.write_text(json.dumps(results), "utf-8")
        print(f"results written to {args.save}")
    if args.compare:
        before = json.loads(args.compare.read_text("utf-8"))
        same = _compare(before, results, print)
        print("results IDENTICAL" if same else "results DIFFER")


def _median(values: list[float | None]) -> str:
    found = [v for v in values if v is not None]
    return f"{statistics.median(found):8.2f}" if found else f"{'-':>8}"


def _compare(before: dict[str, Any], after: dict[str, Any], say: Callable[[str], None]) -> bool:
    ok = True
    if before["canonical"] != after["canonical"]:
        moved = {k for k in before["canonical"].keys() | after["canonical"].keys()
                 if before["canonical"].get(k) != after["canonical"].get(k)}  # fmt: skip
        say(f"canonical map differs for {len(moved)} ids")
        ok = False
    if {tuple(p) for p in before["same"]} != {tuple(p) for p in after["same"]}:
        say("active 'same' judgements differ")
        ok = False
    return ok


if __name__ == "__main__":
    main()
