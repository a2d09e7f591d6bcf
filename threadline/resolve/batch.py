"""Resolution of a batch of match records in one call: prepare, block, score, cluster.

The store-backed `threadline resolve` and the benchmarks both run through here; the
store path adds judgements, incremental runs and persistence around it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from threadline.engines.duckdb import DuckDBEngine, PairLevels
from threadline.resolve import birthdates, priors
from threadline.resolve.blocking import COLUMN_COMPARISON, RULES, TRAINING_RULES
from threadline.resolve.cluster import Clustering, cluster
from threadline.resolve.comparisons import COMPARISONS
from threadline.resolve.frame import Value
from threadline.resolve.model import (
    NESTING_RECORDS,
    Model,
    estimate_u,
    expectation_maximisation,
    nested_in,
    probability,
)
from threadline.resolve.prepare import prepare
from threadline.resolve.sql import sample_sql
from threadline.resolve.thresholds import Thresholds

SIZES = [c.size for c in COMPARISONS]
# Comparisons only organisations have values for, and the kinds of record they are.
ORG_COMPARISONS = ("org_name",)
ORG_KINDS = ("org", "other")


@dataclass
class Scored:
    """Candidate pairs with their levels and match weights."""

    pairs: PairLevels
    weight: npt.NDArray[np.float64]


@dataclass
class BatchResult:
    """Clusters of record ids, the merged pairs, and what the run took."""

    ids: list[str]
    clustering: Clustering
    scored: Scored
    model: Model
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def clusters(self) -> dict[str, str]:
        """Record id to cluster id (the cluster's first record's id), for every record."""
        ids = self.ids
        return {ids[i]: ids[label] for i, label in enumerate(self.clustering.labels.tolist())}

    @property
    def pairs(self) -> list[tuple[str, str, float]]:
        """Candidate pairs scored at or above the merge threshold, with probability."""
        ids = self.ids
        keep = self.scored.weight >= self.thresholds.merge_weight
        prob = probability(self.scored.weight[keep])
        return [
            (ids[x], ids[y], float(p))
            for x, y, p in zip(
                self.scored.pairs.a[keep].tolist(),
                self.scored.pairs.b[keep].tolist(),
                prob.tolist(),
                strict=True,
            )
        ]

    thresholds: Thresholds = field(default_factory=Thresholds)


def train(engine: DuckDBEngine, levels: PairLevels, *, link_only: bool, seed: int = 1) -> Model:
    """An unsupervised model: u from random pairs, then m and the prior by EM."""
    model = Model.initial()
    records, share = engine.nesting("postcode", "city")
    model.nested = nested_in(records, share)
    model.note_fact(
        f"location fields {'nested' if model.nested else 'independent'}: {share:.0%} of"
        f" {records:,} records have their postcode's most common city"
        if records >= NESTING_RECORDS
        else f"location fields taken as nested: {records:,} records with both a postcode and a"
        " city are too few to tell"
    )
    samples = int(min(max(5 * engine.records, 200_000), 500_000))
    estimate_u(
        model, engine.sample(COMPARISONS, samples=samples, seed=seed, link_only=link_only), SIZES
    )
    # Organisation names from pairs of organisations: among many people, random pairs
    # hold too few of them to tell how often two companies' names agree by chance.
    organisations = _kind_sample(engine, ORG_KINDS, samples, seed, link_only)
    if len(organisations):
        estimate_u(model, organisations, SIZES, only=ORG_COMPARISONS)
    expectation_maximisation(
        model, levels.levels, SIZES, sessions(levels), total_pairs=total_pairs(engine, link_only)
    )
    priors.choose_fallback(model, engine.dataset_sizes())
    model.firm_dates, checked, share = birthdates.reliable(levels.levels)
    model.note_fact(
        f"birth dates {'firm' if model.firm_dates else 'unreliable'}: {share:.1%} of"
        f" {checked:,} pairs sharing an identifier have conflicting dates"
        if checked >= birthdates.CHECK_PAIRS
        else f"birth dates taken as firm: {checked:,} pairs sharing an identifier are too few"
        " to tell"
    )
    return model


def _kind_sample(
    engine: DuckDBEngine, kinds: Sequence[str], samples: int, seed: int, link_only: bool
) -> npt.NDArray[np.int8]:
    """Comparison levels of random pairs of records of `kinds` (see sql.sample_sql)."""
    sql = sample_sql(
        COMPARISONS,
        engine.dialect,
        records=engine.records,
        samples=samples,
        seed=seed,
        link_only=link_only,
        kinds=kinds,
    )
    result = engine.conn.execute(sql).fetchnumpy()
    keep = np.asarray(result["keep"], dtype=bool)
    if not keep.any():
        return np.zeros((0, len(COMPARISONS)), dtype=np.int8)
    return np.stack([np.asarray(result[c.name], dtype=np.int8)[keep] for c in COMPARISONS], 1)


def total_pairs(engine: DuckDBEngine, link_only: bool) -> int:
    """How many record pairs there are to compare without blocking: pairs of one kind
    (people with people, organisations with organisations), as only those are compared."""
    total = 0
    for sizes in engine.dataset_sizes().values():
        n = sum(sizes)
        total += (n * n - sum(s * s for s in sizes)) // 2 if link_only else n * (n - 1) // 2
    return total


def sessions(levels: PairLevels) -> list[tuple[npt.NDArray[np.bool_], list[int]]]:
    """Training sessions: the pairs agreeing on each training rule, minus its columns."""
    if levels.agrees is None:
        return []
    names = [c.name for c in COMPARISONS]
    found = []
    for column, rule in enumerate(TRAINING_RULES):
        left_out = sorted({names.index(COLUMN_COMPARISON[c]) for c in RULES[rule].columns})
        found.append((levels.agrees[:, column], left_out))
    return found


def resolve_records(
    rows: Iterable[Mapping[str, Value]] | pa.Table,
    *,
    link_only: bool = False,
    model: Model | None = None,
    thresholds: Thresholds | None = None,
    threads: int | None = None,
    twin_rule: bool = True,
) -> BatchResult:
    """Resolve match records (see frame.FIELDS) into clusters: mappings, an Arrow table
    of those fields, or an already prepared table."""
    thresholds = thresholds or Thresholds()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    table: pa.Table = (
        rows if isinstance(rows, pa.Table) and "rid" in rows.column_names else prepare(rows)
    )
    timings["prepare"] = time.perf_counter() - start
    engine = DuckDBEngine(threads=threads)
    try:
        engine.load(table, keep=False)
        records, id_column = table.num_rows, table.column("id")
        dates = birthdates.full_dates(table.column("dob"))
        facts = priors.Records.from_table(table)
        del table
        mark = time.perf_counter()
        engine.candidates(RULES, link_only=link_only)
        levels = engine.levels(COMPARISONS, rules=[RULES[i] for i in TRAINING_RULES])
        timings["compare"] = time.perf_counter() - mark
        mark = time.perf_counter()
        if model is None:
            model = train(engine, levels, link_only=link_only)
        timings["train"] = time.perf_counter() - mark
    finally:
        engine.close()
    mark = time.perf_counter()
    model.twin_rule = twin_rule
    decided = priors.apply(
        model,
        thresholds,
        facts,
        levels.a,
        levels.b,
        levels.levels,
        model.match_weight(levels.levels, levels.tf),
    )
    weight = decided.weight
    clustering = cluster(
        records,
        levels.a,
        levels.b,
        weight,
        merge_weight=thresholds.merge_weight,
        average_weight=thresholds.average_weight,
        different=decided.apart,
        dates=dates if model.firm_dates else None,
        identifiers=facts.identifiers,
        kinds=facts.kinds,
    )
    timings["cluster"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - start
    return BatchResult(
        ids=id_column.to_pylist(),
        clustering=clustering,
        scored=Scored(levels, weight),
        model=model,
        timings=timings,
        thresholds=thresholds,
    )
