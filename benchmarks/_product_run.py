"""Threadline through its public verbs: ingest files, resolve, export; each phase in its own process.

What a user does: `Workbench(data_dir=...).ingest([file], dataset)` per file, then
`resolve()` with the default settings, then `export()`. The clusters are read from the
export (a merged entity comes out once, under its canonical id, with its members in
`referents`); the pairs are the algorithm's 'same' judgements (`judgements()`).

Ingest and resolve are timed apart, each in a fresh process (`_common.in_child`) whose
process tree is sampled for its peak RSS; the resolve peak covers opening the workbench
and the resolve call, not the export that follows it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import TreeRSS, in_child, peak_rss_mb


@dataclass
class ProductOutcome:
    """What one product run gave, or why it gave nothing."""

    tool: str
    seconds: float | None = None  # resolve only
    rss_mb: float | None = None  # peak of the resolve process tree
    ingest_seconds: float | None = None
    ingest_rss_mb: float | None = None
    entities: int = 0  # ingested
    facts: list[str] = field(default_factory=list)  # what the model said it measured
    pairs: list[tuple[str, str]] = field(default_factory=list)
    clusters: dict[str, str] = field(default_factory=dict)
    error: str | None = None


def run_product(
    files: Sequence[tuple[Path, str]], data_dir: Path, records: set[str]
) -> ProductOutcome:
    """Ingest `files` into an empty `data_dir`, resolve, export; clusters of `records`."""
    phase = "ingest"
    try:
        ingested = in_child(ingest_phase, [(str(p), d) for p, d in files], str(data_dir))
        phase = "resolve"
        resolved = in_child(resolve_phase, str(data_dir), sorted(records))
    except Exception as error:  # a crash in the product is a result, not a stop
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return ProductOutcome(
            "threadline", error=f"crashed in {phase}: {type(error).__name__}: {first}"
        )
    return ProductOutcome(
        "threadline",
        seconds=resolved["seconds"],
        rss_mb=resolved["rss_mb"],
        ingest_seconds=ingested["seconds"],
        ingest_rss_mb=ingested["rss_mb"],
        entities=ingested["entities"],
        facts=resolved["facts"],
        pairs=resolved["pairs"],
        clusters=resolved["clusters"],
    )


def ingest_phase(files: list[tuple[str, str]], data_dir: str) -> dict[str, Any]:
    """Child: ingest each file into its dataset; time and peak RSS of the whole."""
    from threadline.app.workbench import Workbench

    with TreeRSS() as tree:
        started = time.perf_counter()
        with Workbench(data_dir=Path(data_dir)) as bench:
            reports = [bench.ingest([Path(p)], dataset) for p, dataset in files]
        seconds = time.perf_counter() - started
    entities = sum(r.entities for batch in reports for r in batch)
    return {"seconds": seconds, "rss_mb": max(tree.peak_mb, peak_rss_mb()), "entities": entities}


def resolve_phase(data_dir: str, records: list[str]) -> dict[str, Any]:
    """Child: resolve with default settings (timed), then read clusters and pairs back."""
    from threadline.app.workbench import Workbench

    with TreeRSS() as tree:
        bench = Workbench(data_dir=Path(data_dir))
        started = time.perf_counter()
        report = bench.resolve()
        seconds = time.perf_counter() - started
        rss_mb = max(tree.peak_mb, peak_rss_mb())
    wanted = set(records)
    clusters: dict[str, str] = {}
    for entity in bench.export():
        members = [entity["id"], *entity.get("referents", [])]
        for member in members:
            if member in wanted:
                clusters[member] = entity["id"]
    pairs = [(j.left, j.right) for j in bench.judgements() if j.verdict.value == "same"]
    bench.close()
    return {"seconds": seconds, "rss_mb": rss_mb, "facts": list(report.facts),
            "pairs": pairs, "clusters": clusters}  # fmt: skip
