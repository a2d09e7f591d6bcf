"""Screening against the store: query records scored against candidate entities with the
resolver's model, feature by feature, exactly as `explain` scores a pair.

Like `threadline.app.decisions`, this wires the domain (`threadline.resolve.screen`) to the
store and the DuckDB engine. Every pair of a batch is prepared on its own and their
comparison levels come from one engine run; the weights, the documented rules and the
name frequencies of the last run are those `explain` applies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from threadline.app.resolution import Resolution, linked_addresses, probability
from threadline.engines.duckdb import DuckDBEngine
from threadline.model.statement import StatementRow
from threadline.resolve import priors
from threadline.resolve.comparisons import COMPARISONS, NULL_LEVEL
from threadline.resolve.explain import Feature, features_many
from threadline.resolve.extract import match_row
from threadline.resolve.frame import Row
from threadline.resolve.model import VERSION, Model
from threadline.resolve.relations import neighbour_names_of
from threadline.resolve.rulings import explain_pair, explain_pairs
from threadline.resolve.screen import MatchQuery, pair_table, pair_tables, query_row, stacked
from threadline.resolve.sql import TF_COLUMNS


@dataclass(frozen=True)
class Scored:
    """How one candidate scores against a query: `explain`'s numbers for the pair."""

    candidate: str
    features: list[Feature]
    prior_weight: float
    total_weight: float
    probability: float
    decision: str  # merge, review or drop, by the resolver's thresholds

    @property
    def informative(self) -> list[Feature]:
        """The features that had a value on both sides, and the rule if one applied
        (what yente and OpenRefine show: a missing value says nothing)."""
        return [f for f in self.features if f.name == "rule" or f.level != NULL_LEVEL]


class RunStats:
    """How common names were among the records of the last resolution run (what
    `explain` reads from `<data dir>/resolve/state.duckdb`), with one connection for
    a whole batch; unknown (NaN shares, no count) before the first run."""

    def __init__(self, folder: Path) -> None:
        path = folder / "state.duckdb"
        self._engine = DuckDBEngine(path) if path.exists() else None
        if self._engine is not None and not self._has_records(self._engine):
            self._engine.close()
            self._engine = None
        self._cache: dict[tuple[str, Any], Any] = {}

    @staticmethod
    def _has_records(engine: DuckDBEngine) -> bool:
        found = engine.conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'rec'"
        ).fetchall()
        return bool(found[0][0])

    def _one(self, sql: str, value: Any) -> Any:
        key = (sql, value)
        if key not in self._cache and self._engine is not None:
            rows = self._engine.conn.execute(sql, [value]).fetchall()
            self._cache[key] = rows[0][0] if rows else None
        return self._cache.get(key)

    def prefetch(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Look up, in one query per column, what `shares` and `count` will ask about
        these records (a batch's queries): one scan of the last run per column instead
        of one per pair."""
        if self._engine is None:
            return
        for column in (*TF_COLUMNS, "name_key"):
            values = list({v for r in records if (v := r.get(column)) is not None})
            if column == "name_key":
                sql, found = "SELECT count(*) FROM rec WHERE name_key = ?", "count(*)"
            else:
                sql, found = (
                    f"SELECT max({column}_tf) FROM rec WHERE {column} = ?",
                    f"max({column}_tf)",
                )
            fresh = [v for v in values if (sql, v) not in self._cache]
            if not fresh:
                continue
            rows = self._engine.conn.execute(
                f"SELECT {column}, {found} FROM rec WHERE {column} IN (SELECT unnest(?)) "
                f"GROUP BY {column}",
                [fresh],
            ).fetchall()
            got = dict(rows)
            for value in fresh:
                # What `_one` would have found: no rows counts 0, and has no maximum.
                self._cache[(sql, value)] = got.get(value, 0 if column == "name_key" else None)

    def shares(self, left: Mapping[str, Any], right: Mapping[str, Any]) -> list[float]:
        """Per TF column, how common the pair's shared value is (NaN: not shared)."""
        shares = [float("nan")] * len(TF_COLUMNS)
        for n, column in enumerate(TF_COLUMNS):
            value = left.get(column)
            if value is None or value != right.get(column):
                continue
            found = self._one(f"SELECT max({column}_tf) FROM rec WHERE {column} = ?", value)
            if found is not None:
                shares[n] = float(found)
        return shares

    def count(self, name_key: Any) -> int | None:
        """How many records of the last run held this name key (None: unknown)."""
        if name_key is None or self._engine is None:
            return None
        found = self._one("SELECT count(*) FROM rec WHERE name_key = ?", name_key)
        return None if found is None else int(found)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None


class Screening:
    """Scores queries against stored candidates for one store and data directory; one
    in-memory engine and one look at the last run serve a whole batch (`close` them,
    or use it as a context manager)."""

    def __init__(self, resolution: Resolution) -> None:
        self.resolution = resolution
        self.store = resolution.store
        self._engine: DuckDBEngine | None = None
        self._stats: RunStats | None = None

    def __enter__(self) -> Screening:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the engine and the last run's state."""
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        if self._stats is not None:
            self._stats.close()
            self._stats = None

    def model(self) -> Model:
        """The model `explain` scores with, or an error saying to resolve first."""
        return self.resolution.required_model()

    def score(
        self,
        query: MatchQuery,
        candidates: Mapping[str, Sequence[StatementRow]],
        sees: Callable[[str], bool] | None = None,
    ) -> list[Scored]:
        """Each candidate (its readable statements, by id) that resolution compares
        with the query, scored; `sees` limits linked addresses and neighbours to the
        datasets the caller reads, as `explain` does. Best first."""
        return self.score_many([(query, candidates)], sees)[0]

    def score_many(
        self,
        batch: Sequence[tuple[MatchQuery, Mapping[str, Sequence[StatementRow]]]],
        sees: Callable[[str], bool] | None = None,
        *,
        relations: bool = True,
        per_pair: bool = False,
    ) -> list[list[Scored]]:
        """`score` for many queries at once (a list being screened): each pair reads
        as if prepared on its own (`pair_tables`; `per_pair` prepares and rules on them
        one by one, the slow reference), the candidates' addresses are read in one go and every
        pair's levels come from one engine run. A candidate's rows must be the same in
        every query that names it (one caller, one scope).

        Without `relations` the candidates' neighbours are not looked up: a query has
        no neighbours, so the relations feature is null for every pair whatever the
        candidate's are, and no rule reads them; only `explain`-style feature values
        would show them."""
        model = self.model()
        found: dict[str, list[StatementRow]] = {}
        for _, candidates in batch:
            for entity_id, rows in candidates.items():
                if rows and entity_id not in found:
                    found[entity_id] = list(rows)
        addresses = linked_addresses(self.store, found, sees)
        records = {i: match_row(i, rows, addresses) for i, rows in found.items()}
        pairs: list[tuple[int, str, Row, Row]] = []
        for number, (query, candidates) in enumerate(batch):
            lefts: dict[str, Row | None] = {}
            for entity_id in candidates:
                row = records.get(entity_id)
                schema = None if row is None else query.compared_as(str(row["schema"]))
                if row is None or schema is None:
                    continue
                if schema not in lefts:
                    lefts[schema] = query_row(query, schema)
                left = lefts[schema]
                if left is not None:
                    pairs.append((number, entity_id, left, row))
        results: list[list[Scored]] = [[] for _ in batch]
        if not pairs:
            return results
        ids = list(dict.fromkeys(entity_id for _, entity_id, _, _ in pairs))
        if relations:
            names = neighbour_names_of(self.store, ids, sees).to_pylist()
            neighbours = dict(zip(ids, names, strict=True))
        else:
            neighbours = {}
        evidence = [(q, r, neighbours.get(i)) for _, i, q, r in pairs]
        if per_pair:
            table = stacked([pair_table(q, r, rel) for q, r, rel in evidence])
        else:
            table = pair_tables(evidence)
        if self._engine is None:
            self._engine = DuckDBEngine()
        engine = self._engine
        engine.load(table, keep=False)  # replaces the previous batch's records and pairs
        engine.set_pairs(range(0, 2 * len(pairs), 2), range(1, 2 * len(pairs), 2))
        levels = engine.levels(COMPARISONS)
        prepared = table.to_pylist()
        by_pair = {
            int(a) // 2: [int(x) for x in lv] for a, lv in zip(levels.a, levels.levels, strict=True)
        }
        if self._stats is None:
            self._stats = RunStats(self.resolution.folder)
        stats = self._stats
        stats.prefetch(prepared[0::2])
        matrix = np.array([by_pair[n] for n in range(len(pairs))], dtype=np.int8)
        sides = [(prepared[2 * n], prepared[2 * n + 1]) for n in range(len(pairs))]
        # `explain`'s sum for each pair: the features, then the rule.
        every = features_many(model, matrix, sides, [stats.shares(q, c) for q, c in sides])
        prior = model.prior_weight()
        totals = [prior + sum(f.weight for f in feats) for feats in every]
        thresholds = self.resolution.thresholds
        counts = [stats.count(q.get("name_key")) for q, _ in sides]
        if per_pair:  # the reference: each pair ruled on its own two-row table
            ruled = [
                explain_pair(model, thresholds, table.slice(2 * n, 2), row, total, count)
                for n, (row, total, count) in enumerate(zip(matrix, totals, counts, strict=True))
            ]
        else:
            ruled = explain_pairs(model, thresholds, table, matrix, totals, counts)
        for (number, entity_id, _, _), feats, total, rule in zip(
            pairs, every, totals, ruled, strict=True
        ):
            if rule is not None:
                feats.append(
                    Feature("rule", priors.SUMMARY, -1, rule[1], round(rule[0], 3), None, None)
                )
                total += rule[0]
            results[number].append(
                Scored(
                    candidate=entity_id,
                    features=feats,
                    prior_weight=round(prior, 3),
                    total_weight=round(total, 3),
                    probability=probability(total),
                    decision=thresholds.decide(total),
                )
            )
        return [sorted(scored, key=lambda s: (-s.total_weight, s.candidate)) for scored in results]


ALGORITHM_NAME = "threadline-resolver"


@dataclass(frozen=True)
class FeatureDoc:
    """One comparison of the resolver, and the weight its strongest agreement adds."""

    name: str
    description: str
    coefficient: float  # log2 Bayes factor of full agreement (0 before the first run)
    levels: list[tuple[str, float]]  # (label, weight), strongest first


@dataclass(frozen=True)
class Algorithm:
    """The scoring a match uses: the resolver's current model, described."""

    name: str
    version: str
    description: str
    features: list[FeatureDoc]
    trained: bool  # False: no resolution has run yet, so nothing can be scored


def describe_algorithm(resolution: Resolution) -> Algorithm:
    """The resolver's features and current weights (no entity data in it)."""
    model = resolution.model()
    weights = model.weights() if model is not None else None
    docs = []
    for n, comparison in enumerate(COMPARISONS):
        levels = list(range(comparison.size - 1, -1, -1))
        level_weights = [float(weights[n][g]) if weights is not None else 0.0 for g in levels]
        docs.append(
            FeatureDoc(
                name=comparison.name,
                description=comparison.description,
                coefficient=round(level_weights[0], 3),
                levels=[
                    (comparison.label(g), round(w, 3))
                    for g, w in zip(levels, level_weights, strict=True)
                ],
            )
        )
    return Algorithm(
        name=ALGORITHM_NAME,
        version=VERSION,
        description=(
            "threadline's resolver (Fellegi-Sunter weights learned from the data, taught "
            "by judgements, with documented rules): the score is the probability of the "
            "pair's total weight, as `threadline explain` shows it"
        ),
        features=docs,
        trained=model is not None,
    )
