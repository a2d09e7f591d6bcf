"""Decisions on pairs against the store: judge, undo and explain (the interactive side
of resolution; runs are in `threadline.app.resolution`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from threadline.app.resolution import (
    JudgementConflict,
    Resolution,
    known_fingerprints,
    linked_addresses,
    probability,
)
from threadline.engines.duckdb import DuckDBEngine
from threadline.errors import NotFoundError, ThreadlineError
from threadline.resolve import canonical as canon
from threadline.resolve import namegroups, priors, rulings
from threadline.resolve.birthdates import conflict, full_dates
from threadline.resolve.blocking import agreeing_rules
from threadline.resolve.comparisons import COMPARISONS
from threadline.resolve.explain import Explanation, Feature, features
from threadline.resolve.extract import (
    match_row,
)
from threadline.resolve.judgement import Judgement, Verdict, now
from threadline.resolve.model import (
    Model,
)
from threadline.resolve.prepare import prepare
from threadline.resolve.relations import neighbour_names_of
from threadline.resolve.schemas import can_match
from threadline.resolve.sql import TF_COLUMNS
from threadline.store.judgements import JudgementChange


class Decisions:
    """Judging, undoing and explaining pairs (the interactive side of resolution)."""

    def __init__(self, resolution: Resolution) -> None:
        self.resolution = resolution
        self.store = resolution.store

    def _require(self, *ids: str) -> None:
        found = self.store.statements_for(ids)
        for entity_id in ids:
            if entity_id not in found:
                raise NotFoundError(f"No entity with id {entity_id!r}")

    def _require_compatible(self, left: set[str], right: set[str]) -> None:
        """Refuse to join two clusters holding schemata that cannot be one entity (a
        Person and a Company, directly or each beside the same LegalEntity)."""
        found = self.store.statements_for(left | right)
        schemata = {i: rows[0].schema for i, rows in found.items() if rows}
        for x in sorted(left):
            for y in sorted(right):
                sx, sy = schemata.get(x), schemata.get(y)
                if not can_match(sx, sy):
                    raise JudgementConflict(
                        f"{x} ({sx}) and {y} ({sy}) cannot be the same entity "
                        "(followthemoney does not match these schemata); nothing was changed"
                    )

    def judge(
        self, a: str, b: str, verdict: Verdict, actor: str, reason: str | None = None
    ) -> tuple[Judgement, set[str]]:
        """Record a decision; refuse one that contradicts earlier judgements."""
        if a == b:
            raise ThreadlineError(f"Cannot judge {a!r} against itself")
        self._require(a, b)
        store = self.store.judgements
        cluster_a, edges_a = canon.component({a}, store.touching)
        cluster_b, edges_b = (
            (cluster_a, edges_a) if b in cluster_a else canon.component({b}, store.touching)
        )
        removed: list[Judgement] = []
        if verdict is Verdict.SAME and b not in cluster_a:
            self._require_compatible(cluster_a, cluster_b)
            for j in store.touching(cluster_a):
                if j.verdict is Verdict.NOT_SAME and (
                    (j.left in cluster_a and j.right in cluster_b)
                    or (j.right in cluster_a and j.left in cluster_b)
                ):
                    raise JudgementConflict(
                        f"{a} and {b} cannot be the same: it conflicts with {j.describe()}; "
                        "nothing was changed"
                    )
        if verdict is Verdict.NOT_SAME and b in cluster_a:
            chain = canon.path(a, b, [j for j in edges_a if not j.by_algorithm])
            if chain:
                names = "; ".join(j.describe() for j in chain)
                raise JudgementConflict(
                    f"{a} and {b} cannot be not the same: it conflicts with {names}; "
                    "nothing was changed"
                )
            # Only algorithmic merges join them: the person's word wins. The component's
            # algorithmic links are withdrawn; the next resolve re-clusters it under the
            # new constraint.
            removed = [j for j in edges_a if j.by_algorithm]
        judgement = Judgement.make(a, b, verdict, actor, reason=reason)
        gone = {j.id for j in removed}
        edges = {j.id: j for j in [*edges_a, *edges_b, judgement] if j.id not in gone}
        changed, change = self._recanonicalise(cluster_a | cluster_b, edges.values())
        store.apply(
            replace(
                change,
                added=[judgement],
                deleted=gone,
                deleted_at=judgement.created_at,
                deleted_by=actor,
                unqueued=[(a, b)],
            )
        )
        return judgement, changed

    def undo(self, judgement_id: str | None, actor: str) -> tuple[Judgement, set[str]]:
        """Undo one judgement (by id), or the actor's last one."""
        store = self.store.judgements
        if judgement_id is None:
            mine = [j for j in store.all() if j.actor == actor]
            if not mine:
                raise NotFoundError(f"{actor} has no judgement to undo")
            target = mine[-1]
        else:
            found = store.get(judgement_id)
            if found is None:
                raise NotFoundError(f"No judgement with id {judgement_id!r}")
            if not found.active:
                raise ThreadlineError(
                    f"{found.describe()} was already undone at {found.deleted_at}"
                )
            target = found
        seeds, edges = canon.component({target.left, target.right}, store.touching)
        left = [j for j in edges if j.id != target.id]
        changed, change = self._recanonicalise(seeds, left)
        store.apply(replace(change, deleted={target.id}, deleted_at=now(), deleted_by=actor))
        return store.get(target.id) or target, changed

    def _recanonicalise(
        self, reach: set[str], edges: Iterable[Judgement]
    ) -> tuple[set[str], JudgementChange]:
        """The canonical ids of `reach` (every id the change can move) once its "same"
        judgements are `edges`: the ids that move, and the change that moves them."""
        old = self.store.judgements.canonical(reach)
        new = canon.clusters(edges)
        changed = {k for k in reach if old.get(k, k) != new.get(k, k)}
        if not changed:
            return changed, JudgementChange()
        return changed, JudgementChange(canonical=new, cleared=reach)

    def _name_shares(self, left: dict[str, Any], right: dict[str, Any]) -> list[float]:
        """How common the shared given and family names are among the records of the
        last run (NaN where the names differ or no run has seen them)."""
        path = self.resolution.folder / "state.duckdb"
        shares = [float("nan")] * len(TF_COLUMNS)
        if not path.exists():
            return shares
        engine = DuckDBEngine(path)
        try:
            if not known_fingerprints(engine):
                return shares
            for n, column in enumerate(TF_COLUMNS):
                if left.get(column) is None or left.get(column) != right.get(column):
                    continue
                row = engine.conn.execute(
                    f"SELECT max({column}_tf) FROM rec WHERE {column} = ?", [left[column]]
                ).fetchall()
                if row and row[0][0] is not None:
                    shares[n] = float(row[0][0])
        finally:
            engine.close()
        return shares

    def _name_count(self, name_key: Any) -> int | None:
        """How many records of the last run held this name key (None: unknown)."""
        path = self.resolution.folder / "state.duckdb"
        if name_key is None or not path.exists():
            return None
        engine = DuckDBEngine(path)
        try:
            if not known_fingerprints(engine):
                return None
            row = engine.conn.execute(
                "SELECT count(*) FROM rec WHERE name_key = ?", [name_key]
            ).fetchall()
            return int(row[0][0]) if row else None
        finally:
            engine.close()

    def _one_company(self, name_key: Any) -> bool | None:
        """Whether the last run's records holding this name can be one company."""
        path = self.resolution.folder / "state.duckdb"
        if name_key is None or not path.exists():
            return None
        engine = DuckDBEngine(path)
        try:
            if not known_fingerprints(engine):
                return None
            columns = ("kind", "idents", *namegroups.PLACES)
            found = engine.conn.execute(
                f"SELECT {', '.join(columns)} FROM rec WHERE name_key = ?", [name_key]
            ).fetchall()
        finally:
            engine.close()
        return namegroups.one_company([dict(zip(columns, r, strict=True)) for r in found])

    def _address_count(self, record: dict[str, Any]) -> int | None:
        """How many records of the last run held this record's street address."""
        path = self.resolution.folder / "state.duckdb"
        values = [record.get(c) for c in namegroups.ADDRESS]
        if None in values or not path.exists():
            return None
        engine = DuckDBEngine(path)
        try:
            if not known_fingerprints(engine):
                return None
            where = " AND ".join(f"{c} = ?" for c in namegroups.ADDRESS)
            row = engine.conn.execute(f"SELECT count(*) FROM rec WHERE {where}", values)
            found = row.fetchall()
        finally:
            engine.close()
        return int(found[0][0]) if found else None

    def _apart(self, cluster_a: set[str], b: str, model: Model) -> str:
        """Why two clusters stayed apart, as far as the store can tell afterwards."""
        store = self.store.judgements
        cluster_b, _ = canon.component({b}, store.touching)
        for j in store.touching(cluster_a):
            if j.verdict is Verdict.NOT_SAME and {j.left, j.right} & cluster_b:
                return f": their clusters hold a pair judged not the same ({j.describe()})"
        if model.firm_dates:
            found = self.store.statements_for(cluster_a | cluster_b)
            addresses = linked_addresses(self.store, found)
            rows = [
                match_row(i, found[i], addresses)
                for i in sorted(cluster_a | cluster_b)
                if i in found
            ]
            table = prepare([r for r in rows if r is not None])
            ids, born = table.column("id").to_pylist(), full_dates(table.column("dob"))
            dates = dict(zip(ids, born.tolist(), strict=True))
            if conflict([dates.get(i, 0) for i in cluster_a], [dates.get(i, 0) for i in cluster_b]):
                return ": the full birth dates in their two clusters conflict"
        refused = self.resolution.refusal(cluster_a, cluster_b)
        if refused is not None:
            weight, reason = refused
            return (
                f": a link of {probability(weight):.4f} between them was refused when "
                f"clustering: {reason}"
            )
        return ""

    def explain(self, a: str, b: str, sees: Callable[[str], bool] | None = None) -> Explanation:
        """Each feature's value and weight, the blocking rules, the decision, the status.
        With `sees`, linked Address entities count only where it accepts their dataset:
        an explanation shows no address from a collection its reader cannot read."""
        if a == b:
            raise ThreadlineError(f"Cannot explain {a!r} against itself")
        self._require(a, b)
        model = self.resolution.required_model()
        found = self.store.statements_for([a, b])
        rows = []
        for entity_id in (a, b):
            row = match_row(entity_id, found[entity_id], linked_addresses(self.store, found, sees))
            if row is None:
                schema = found[entity_id][0].schema
                raise ThreadlineError(
                    f"{entity_id} has schema {schema}; resolution compares only people "
                    "and organisations"
                )
            rows.append(row)
        table = prepare(rows)
        column = table.schema.get_field_index("rel_names")
        table = table.set_column(column, "rel_names", neighbour_names_of(self.store, [a, b], sees))
        engine = DuckDBEngine()
        try:
            engine.load(table)
            engine.set_pairs([0], [1])
            levels = engine.levels(COMPARISONS)
        finally:
            engine.close()
        left, right = table.to_pylist()
        feats = features(
            model, [int(x) for x in levels.levels[0]], left, right, self._name_shares(left, right)
        )
        prior = model.prior_weight()
        total = prior + sum(f.weight for f in feats)
        ruled = rulings.explain_pair(
            model,
            self.resolution.thresholds,
            table,
            [int(x) for x in levels.levels[0]],
            total,
            self._name_count(left.get("name_key")),
            self._one_company(left.get("name_key")),
            self._address_count(left),
        )
        if ruled is not None:
            # The rule that overrode the weights, as one more line of the sum.
            shown = round(ruled[0], 3)
            feats.append(Feature("rule", priors.SUMMARY, -1, ruled[1], shown, None, None))
            total += ruled[0]
        store = self.store.judgements
        cluster_a, edges = canon.component({a}, store.touching)
        between = [j for j in store.touching({a}) if {j.left, j.right} == {a, b}]
        if b in cluster_a:
            chain = canon.path(a, b, edges) or []
            status = "merged, through " + "; ".join(j.describe() for j in chain)
        else:
            status = "not merged" + self._apart(cluster_a, b, model)
        return Explanation(
            left=a,
            right=b,
            features=feats,
            prior_weight=round(prior, 3),
            total_weight=round(total, 3),
            probability=probability(total),
            decision=self.resolution.thresholds.decide(total),
            blocking=agreeing_rules(left, right),
            status=status,
            judgements=between,
            model_history=model.history,
        )
