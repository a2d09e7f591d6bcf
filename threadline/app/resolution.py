"""Resolution against the store: runs (judging, undo and explanations are in
`threadline.app.decisions`).

Like the indexer, this module wires the domain (threadline.resolve) to the store and a
resolution engine (DuckDB, or Spark: threadline.engines.registry). State that can be
rebuilt (prepared records, scored candidate pairs, the trained model) lives under
`<data dir>/resolve/`; judgements and the canonical map live in the store, because they
are decisions, not derived views.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from threadline.engines.base import Engine, PairLevels
from threadline.engines.registry import open_engine, require
from threadline.errors import ThreadlineError
from threadline.model.statement import StatementRow
from threadline.progress import NoProgress, Progress
from threadline.resolve import address, priors
from threadline.resolve import canonical as canon
from threadline.resolve.batch import SIZES
from threadline.resolve.batch import train as train_model
from threadline.resolve.birthdates import DateArray, full_dates
from threadline.resolve.blocking import RULES, TRAINING_RULES
from threadline.resolve.cluster import cluster
from threadline.resolve.comparisons import COMPARISONS
from threadline.resolve.extract import (
    READ_PROPS,
    AddressRecord,
    RecordReader,
    Records,
    address_lookup,
    address_refs,
)
from threadline.resolve.judgement import ALGORITHM_PREFIX, Judgement, Verdict, now
from threadline.resolve.model import (
    VERSION,
    Model,
    learn_from_judgements,
)
from threadline.resolve.prepare import prepare
from threadline.resolve.readahead import read_ahead
from threadline.resolve.relations import neighbour_names
from threadline.resolve.thresholds import Thresholds
from threadline.resolve.worker import MIN_RECORDS, AddressWorker
from threadline.store.base import Store
from threadline.store.bulkread import statement_tables
from threadline.store.judgements import JudgementChange, JudgementStore, ReviewItem

ALGORITHM = f"{ALGORITHM_PREFIX}threadline-fs/{VERSION}"
# What the worker processes a run starts import (AddressWorker's `preload`): the search
# index's, which rebuild the merged entities' documents after the run.
WORKER_MODULES = ("threadline.app.indexer",)


class JudgementConflict(ThreadlineError):
    """A judgement contradicts earlier ones; nothing was changed."""


@dataclass
class ResolveReport:
    """What a resolution run did."""

    records: int
    new_records: int
    compared: int
    merged: int
    unmerged: int
    queued: int
    clusters: int
    seconds: float
    incremental: bool
    trained: bool
    changed: set[str] = field(default_factory=set, repr=False)
    facts: list[str] = field(default_factory=list)  # what the model measured on the data


class Resolution:
    """Resolution for one store and data directory."""

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        thresholds: Thresholds | None = None,
        engine: str = "duckdb",
        workers: int | None = None,
    ):
        self.store = store
        self.folder = data_dir / "resolve"
        self.thresholds = thresholds or Thresholds()
        self.engine = engine  # the engine's name (threadline.engines.registry)
        # Processes a run may use (this one included): with two or more, a large
        # store's addresses are parsed in a worker (AddressWorker).
        self.workers = workers if workers is not None else (os.cpu_count() or 1)

    # Models ----------------------------------------------------------------------

    @property
    def _model_path(self) -> Path:
        return self.folder / "model.json"

    @property
    def _learned_path(self) -> Path:
        return self.folder / "model-learned.json"

    def _load(self, path: Path) -> Model | None:
        if not path.exists():
            return None
        try:
            return Model.from_json(json.loads(path.read_text("utf-8")))
        except (ValueError, KeyError, json.JSONDecodeError):
            return None

    def _save(self, path: Path, model: Model) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(model.to_json(), indent=1), "utf-8")
        tmp.replace(path)

    def model(self) -> Model | None:
        """The model the last run scored with (trained, then taught by judgements)."""
        return self._load(self._learned_path) or self._load(self._model_path)

    def required_model(self) -> Model:
        """`model`, or an error that says why there is none and to resolve."""
        model = self.model()
        if model is not None:
            return model
        if self._model_path.exists() or self._learned_path.exists():
            raise ThreadlineError(
                "The match model was made by another version of threadline, whose "
                "comparisons differ: run `threadline resolve` to train it again"
            )
        raise ThreadlineError("No match model yet: run `threadline resolve` first")

    # Runs ------------------------------------------------------------------------

    def _rows(
        self, datasets: Sequence[str] | None, progress: Progress, worker: AddressWorker
    ) -> Records:
        """The match records of the store, read in bulk: Arrow tables of plain
        statement rows, only the properties resolution reads, grouped into records in
        DuckDB; progress once per table. A store of more than `MIN_RECORDS` begins the
        address `worker` while it is read; a smaller one warms up this process."""
        reader = RecordReader(frozenset(datasets) if datasets else None)
        # The count is the bar's total only: where nothing shows progress (a library
        # call), its scan of every statement is skipped.
        total = None if isinstance(progress, NoProgress) else self.store.count_entities()
        progress.begin("Reading entities", total, "entities")
        try:
            # The next batch is fetched from the store while DuckDB groups this one.
            tables = read_ahead(statement_tables(self.store, READ_PROPS))
            seen = 0
            for table in tables:
                if seen >= MIN_RECORDS:
                    worker.begin()
                added = reader.add_table(table)
                seen += added
                progress.advance(added)
        finally:
            progress.end()
        if not worker.started:
            address.warm_up()  # needed by `prepare`
        return reader.finish()

    def run(
        self,
        datasets: Sequence[str] | None = None,
        *,
        full: bool = False,
        train: bool = False,
        link_only: bool = False,
        twin_rule: bool = True,
        progress: Progress | None = None,
        engine: str | None = None,
    ) -> ResolveReport:
        """Find candidates, score, cluster under constraints, record the merges; on the
        engine named (default: this resolution's)."""
        progress = progress or NoProgress()
        start = time.perf_counter()
        engine = engine or self.engine
        require(engine)  # before reading the store, which takes minutes at scale
        worker = AddressWorker(self.workers, WORKER_MODULES)
        try:
            return self._run(datasets, full, train, link_only, twin_rule, progress, engine,
                             worker, start)  # fmt: skip
        finally:
            worker.close()
            release_memory()

    def _run(
        self,
        datasets: Sequence[str] | None,
        full: bool,
        train: bool,
        link_only: bool,
        twin_rule: bool,
        progress: Progress,
        engine: str,
        worker: AddressWorker,
        start: float,
    ) -> ResolveReport:
        rows = self._rows(datasets, progress, worker)
        ids = rows.ids
        neighbours = neighbour_names(self.store, ids)
        fingerprints = _with_neighbours(rows.fingerprints, neighbours)
        linked = rows.table.append_column("rel_names", neighbours)
        # From here on only the prepared table is read: at a million records each copy
        # of the records held longer than needed is hundreds of megabytes.
        del rows, neighbours
        self.folder.mkdir(parents=True, exist_ok=True)
        runner = open_engine(engine, self.folder, self.folder / "state.duckdb")
        try:
            known = runner.known_fingerprints()
            incremental = (
                bool(known)
                and not (full or train or datasets)
                and self._load(self._model_path) is not None
            )
            new = [known.get(i) != fp for i, fp in zip(ids, fingerprints, strict=True)]
            del known
            table = prepare(linked, worker.locate)
            worker.close()  # its addresses were its last task: its memory goes now
            table = table.append_column("fp", pa.array(fingerprints, pa.string()))
            del linked, fingerprints
            dates = full_dates(table.column("dob"))
            records = priors.Records.from_table(table)
            progress.begin("Comparing candidate pairs", None, "steps")
            runner.load(table, new if incremental else None)
            del table  # the engine holds its own copy
            runner.candidates(RULES, link_only=link_only, new_only=incremental)
            levels = runner.levels(COMPARISONS, rules=[RULES[i] for i in TRAINING_RULES])
            progress.end()
            model = None if train else self._load(self._model_path)
            trained = model is None
            if model is None:
                model = train_model(runner.trainer(), levels, link_only=link_only)
                self._save(self._model_path, model)
            # Training was the last reader of the rule flags and the run's own shares:
            # dropped before the pairs are read back with theirs.
            levels.agrees = levels.tf = None
            scored = runner.merge_pairs(levels, incremental)
            del levels
            # Read once: at a million records the algorithm's judgements are hundreds of
            # thousands, and learning and applying both look at them.
            active = self.store.judgements.all()
            learned = self._learn(runner, model, active)
            learned.twin_rule = twin_rule
            self._save(self._learned_path, learned)
        finally:
            runner.close()
        report = self._apply(ids, scored, learned, dates, records, active)
        report.records = len(ids)
        report.new_records = sum(new) if incremental else len(ids)
        report.incremental = incremental
        report.trained = trained
        report.facts = list(learned.facts)
        report.seconds = time.perf_counter() - start
        return report

    @property
    def refusals_path(self) -> Path:
        """Where the last runs' refused links are kept, for `explain` to name."""
        return self.folder / "refused.parquet"

    def _keep_refusals(
        self, ids: Sequence[str], refused: Sequence[tuple[int, int, float, str]]
    ) -> None:
        """Keep the links clustering refused (strong pairs whose clusters stayed apart,
        and why), replacing those between this run's records; written whole, then moved."""
        fresh = pa.table(
            {
                "left_id": pa.array([ids[x] for x, _, _, _ in refused], pa.string()),
                "right_id": pa.array([ids[y] for _, y, _, _ in refused], pa.string()),
                "weight": pa.array([w for _, _, w, _ in refused], pa.float64()),
                "reason": pa.array([why for _, _, _, why in refused], pa.string()),
            }
        )
        path = self.refusals_path
        if path.exists():
            kept = pq.read_table(path)
            run = pa.array(list(ids), pa.string())
            # A run over some datasets says nothing of links to records it did not see.
            outside = pc.invert(
                pc.and_(pc.is_in(kept["left_id"], run), pc.is_in(kept["right_id"], run))
            )
            fresh = pa.concat_tables([kept.filter(outside), fresh])
        partial = path.with_name(path.name + ".partial")
        pq.write_table(fresh, partial)
        partial.replace(path)

    def refusal(self, left: Collection[str], right: Collection[str]) -> tuple[float, str] | None:
        """The strongest refused link between two clusters: its weight and why."""
        if not self.refusals_path.exists():
            return None
        found = [
            (row["weight"], row["reason"])
            for row in pq.read_table(self.refusals_path).to_pylist()
            if (row["left_id"] in left and row["right_id"] in right)
            or (row["left_id"] in right and row["right_id"] in left)
        ]
        return max(found) if found else None

    def _learn(self, engine: Engine, model: Model, active: Sequence[Judgement]) -> Model:
        """The model taught by the users' judgements (of the `active` ones) on pairs
        present in this run."""
        judged = [j for j in active if not j.by_algorithm and j.verdict is not Verdict.UNSURE]
        learned = Model.from_json(model.to_json())
        if not judged:
            return learned
        rid = engine.rids({i for j in judged for i in (j.left, j.right)})
        usable = [j for j in judged if j.left in rid and j.right in rid]
        if not usable:
            return learned
        engine.set_pairs([rid[j.left] for j in usable], [rid[j.right] for j in usable], "judged")
        found = engine.levels(COMPARISONS, pairs="judged")
        verdict = {(rid[j.left], rid[j.right]): j.verdict for j in usable}
        said = [verdict.get(pair) for pair in zip(found.a.tolist(), found.b.tolist(), strict=True)]
        same = [i for i, v in enumerate(said) if v is Verdict.SAME]
        diff = [i for i, v in enumerate(said) if v is Verdict.NOT_SAME]
        learn_from_judgements(learned, found.levels[same], found.levels[diff], SIZES)
        return learned

    def _apply(
        self,
        ids: list[str],
        scored: PairLevels,
        model: Model,
        dates: DateArray,
        records: priors.Records,
        active: Sequence[Judgement],
    ) -> ResolveReport:
        """Cluster the scored pairs (weighed by the model, then the priors' rules) and
        bring the `active` judgements and the canonical map in line."""
        judgements = self.store.judgements
        # Row numbers by id are only asked of judged ids: none on a first run.
        rid = {i: n for n, i in enumerate(ids)} if active else {}
        user = [j for j in active if not j.by_algorithm and j.left in rid and j.right in rid]
        same = [(rid[j.left], rid[j.right]) for j in user if j.verdict is Verdict.SAME]
        different = [(rid[j.left], rid[j.right]) for j in user if j.verdict is Verdict.NOT_SAME]
        t = self.thresholds
        decided = priors.apply(
            model,
            t,
            records,
            scored.a,
            scored.b,
            scored.levels,
            model.match_weight(scored.levels, scored.tf),
        )
        weight = decided.weight
        result = cluster(
            len(ids),
            scored.a,
            scored.b,
            weight,
            merge_weight=t.merge_weight,
            average_weight=t.average_weight,
            same=same,
            different=different + decided.apart,
            dates=dates if model.firm_dates else None,
            identifiers=records.identifiers,
            kinds=records.kinds,
        )
        labels = result.labels
        self._keep_refusals(ids, result.refused)
        stale = [
            j
            for j in active
            if j.by_algorithm
            and j.verdict is Verdict.SAME
            and j.left in rid
            and j.right in rid
            and labels[rid[j.left]] != labels[rid[j.right]]
        ]
        stale_ids = {j.id for j in stale}
        sets = canon.UnionFind()
        for j in active:
            if j.verdict is Verdict.SAME and j.id not in stale_ids:
                sets.union(j.left, j.right)
        added = []
        stamp = now()  # the run's time, read once, not per merge
        for x, y, w in result.merges:
            if np.isfinite(w) and sets.union(ids[x], ids[y]):
                added.append(
                    Judgement.make(
                        ids[x],
                        ids[y],
                        Verdict.SAME,
                        ALGORITHM,
                        score=probability(w),
                        created_at=stamp,
                    )
                )
        # `sets` now joins what the active judgements after this run join: its sets are
        # the canonical clusters, with no second pass over every judgement.
        changed, change = self._recanonicalise(canon.canonical_ids(sets))
        judged = {(j.left, j.right) for j in user} | {(j.right, j.left) for j in user}
        band = (weight >= t.review_weight) & (weight < t.merge_weight)
        band |= weight >= t.merge_weight
        band &= labels[scored.a] != labels[scored.b]  # pairs left in two clusters
        queue = [
            ReviewItem(ids[a], ids[b], float(w), int(r))
            for a, b, w, r in zip(
                scored.a[band].tolist(),
                scored.b[band].tolist(),
                weight[band].tolist(),
                scored.rule[band].tolist(),
                strict=True,
            )
            if (ids[a], ids[b]) not in judged
        ]
        queue += _kept_review(judgements, ids)
        # One write: the judgements, the canonical map and the queue change together.
        judgements.apply(
            replace(
                change,
                added=added,
                deleted=stale_ids,
                deleted_at=stamp,
                deleted_by=ALGORITHM,
                review=queue,
            )
        )
        return ResolveReport(
            records=len(ids),
            new_records=len(ids),
            compared=len(scored),
            merged=len(added),
            unmerged=len(stale),
            queued=len(queue),
            clusters=int(np.unique(labels).size),
            seconds=0.0,
            incremental=False,
            trained=False,
            changed=changed,
        )

    def _recanonicalise(self, new: dict[str, str]) -> tuple[set[str], JudgementChange]:
        """The ids that move when `new` becomes the canonical map, and the change that
        rewrites the map."""
        old = self.store.judgements.canonical_map()
        changed = {k for k in old.keys() | new.keys() if old.get(k, k) != new.get(k, k)}
        if not changed:
            return changed, JudgementChange()
        return changed, JudgementChange(canonical=new, cleared=old.keys())


def release_memory() -> None:
    """Hand the memory a run freed back to the system: Arrow's pool and glibc's malloc
    keep freed pages for reuse, about 75 MB after a run of 100k records, which the
    search index's refresh after it (its worker processes beside this one) never
    reuses. Milliseconds; a no-op where glibc's `malloc_trim` is missing."""
    pa.default_memory_pool().release_unused()
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL(None).malloc_trim  # glibc's; musl has none
    except (OSError, AttributeError):
        return
    trim(0)


def probability(weight: float) -> float:
    return float(1.0 / (1.0 + 2.0 ** (-weight)))


def linked_addresses(
    store: Store,
    found: dict[str, list[StatementRow]],
    sees: Callable[[str], bool] | None = None,
) -> dict[str, AddressRecord]:
    """The Address entities these entities point at (`addressEntity`), by id; with
    `sees`, only their statements in datasets it accepts (what a caller may read)."""
    refs = set().union(*(address_refs(rows) for rows in found.values()))
    if not refs:
        return {}
    linked = store.statements_for(refs)
    if sees is not None:
        linked = {i: [r for r in rows if sees(r.dataset)] for i, rows in linked.items()}
        linked = {i: rows for i, rows in linked.items() if rows}
    return address_lookup(linked)


def _with_neighbours(fingerprints: list[str], neighbours: pa.Array) -> list[str]:
    """Fingerprints that change when a record's neighbours' names do: a new Ownership or
    co-inventor changes the record's `relations` evidence, though none of its own
    statements, and an incremental run must compare it again."""
    return [
        fp if not names else hashlib.sha1("\x1e".join([fp, *names]).encode()).hexdigest()
        for fp, names in zip(fingerprints, neighbours.to_pylist(), strict=True)
    ]


def known_fingerprints(engine: Engine) -> dict[str, str]:
    """Fingerprints of the records of the previous run, by id."""
    return engine.known_fingerprints()


def _kept_review(judgements: JudgementStore, ids: list[str]) -> list[ReviewItem]:
    """Queued pairs this run could not have scored, because one side or both lie outside
    its records (a run over some datasets leaves the others' queue as it was)."""
    before = judgements.review(1_000_000_000, 0)
    if not before:
        return []
    run = set(ids)
    return [i for i in before if i.left not in run or i.right not in run]
