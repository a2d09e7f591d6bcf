"""Resolution verbs: resolve, judge, undo, explain, review and judgements.

Judging or explaining a pair needs every record of both sides to be readable (and,
to judge, writable): an explanation shows their values, and a merge changes what
everyone sees of them. Resolving across several collections is a combination.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from threadline.access import AccessDenied, Level, can
from threadline.app import indexer
from threadline.app.accountability import Scope
from threadline.app.decisions import Decisions
from threadline.app.resolution import JudgementConflict, Resolution, ResolveReport
from threadline.app.verbs.base import VerbsBase
from threadline.audit import ActionKind
from threadline.errors import NotFoundError
from threadline.progress import NoProgress, Progress
from threadline.resolve import canonical as canon
from threadline.resolve.explain import Explanation
from threadline.resolve.judgement import Judgement, Verdict
from threadline.resolve.thresholds import Thresholds
from threadline.store.judgements import ReviewItem

ALTERATION = ActionKind.ALTERATION
CONSULTATION = ActionKind.CONSULTATION


class ResolutionVerbs(VerbsBase):
    """Who is who: candidate pairs, scores, judgements and their explanations."""

    @property
    def _resolution(self) -> Resolution:
        lazy = self._backends.lazy
        if "resolution" not in lazy:
            lazy["resolution"] = Resolution(
                self.store,
                self.data_dir,
                Thresholds(),
                self.settings.resolve_engine,
                workers=self.settings.workers,
            )
        resolution: Resolution = lazy["resolution"]
        return resolution

    def resolve(
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
        """Find candidate pairs, score them, merge the sure ones, queue the unsure ones.

        After the first run, new and changed records are compared with the rest
        (incremental); `full` compares every pair again, `train` re-estimates the model.
        `twin_rule` keeps apart records with different given names but the same birth
        date and street address (twins), unless an identifier agrees. A user other
        than the local admin resolves the datasets they may write to (in the case's
        sources, inside a case). `engine` names the engine that compares the pairs
        (duckdb or spark; default: the `resolve_engine` setting).
        """
        with (
            self._writing(progress or NoProgress()),
            self._act(ActionKind.COMBINATION, "resolve", alters=True) as act,
        ):
            targets = self._targets(act.scope, datasets)
            span = targets if targets is not None else sorted(act.scope.known)
            if len(span) < 2:
                act.kind = ALTERATION
            act.detail = "datasets=" + ",".join(span)
            report = self._resolution.run(
                targets,
                full=full,
                train=train,
                link_only=link_only,
                twin_rule=twin_rule,
                progress=progress or NoProgress(),
                engine=engine,
            )
            self._refresh(report.changed, progress or NoProgress())
            act.ids = sorted(report.changed)
        return report

    def _targets(self, scope: Scope, datasets: Sequence[str] | None) -> list[str] | None:
        for name in datasets or []:
            if name not in scope.known or not scope.sees(name):
                raise NotFoundError(f"No dataset named {name!r}")
        if scope.readable is None:
            return list(datasets) if datasets else None
        targets = list(datasets) if datasets else sorted(scope.datasets)
        for name in targets:
            if not (scope.principal.local or can(scope.principal, Level.WRITE, name)):
                raise AccessDenied(scope.actor, f"collection {name!r}", "write")
        if not targets:
            raise NotFoundError("No dataset you may write to in this scope")
        return targets

    def judge(
        self,
        left: str,
        right: str,
        verdict: str | Verdict,
        *,
        reason: str | None = None,
    ) -> Judgement:
        """Record that two entities are the same, not the same, or unsure."""
        verdict = verdict if isinstance(verdict, Verdict) else Verdict.parse(verdict)
        with self._act(ALTERATION, "judge") as act:
            act.ids = [left, right]
            self._whole(act.scope, [left, right], Level.WRITE)
            try:
                judgement, changed = Decisions(self._resolution).judge(
                    left, right, verdict, act.scope.actor, reason
                )
            except JudgementConflict:
                # The conflicting judgements may be about records the caller cannot read.
                if self._hides_any(act.scope, self._cluster_ids(left, right)):
                    raise JudgementConflict(
                        f"{left} and {right}: this contradicts earlier judgements about "
                        "records outside your reach; nothing was changed"
                    ) from None
                raise
            act.ids.append(f"judgement:{judgement.id}")
            act.detail = f"verdict={judgement.verdict.value}"
            self._refresh(changed, NoProgress())
        return judgement

    def undo(self, judgement_id: str | None = None) -> Judgement:
        """Undo a judgement by id, or the caller's last one; facts are never touched."""
        with self._act(ALTERATION, "undo") as act:
            store = self.store.judgements
            if judgement_id is None:
                mine = [j for j in store.all() if j.actor == act.scope.actor]
                target = mine[-1] if mine else None
            else:
                target = store.get(judgement_id)
            if target is not None:
                self._whole(act.scope, [target.left, target.right], Level.WRITE)
                act.ids = [target.left, target.right, f"judgement:{target.id}"]
            judgement, changed = Decisions(self._resolution).undo(judgement_id, act.scope.actor)
            self._refresh(changed, NoProgress())
        return judgement

    def explain(self, left: str, right: str) -> Explanation:
        """Why two entities score as they do: every feature, the blocking rule, the decision."""
        with self._act(CONSULTATION, "explain") as act:
            act.ids = [left, right]
            self._whole(act.scope, [left, right], Level.READ)
            explanation = Decisions(self._resolution).explain(left, right, act.scope.sees)
            if explanation.status.startswith("merged") and self._hides_any(
                act.scope, self._chain_ids(left, right)
            ):
                # The chain of judgements runs through records the caller cannot read:
                # say that it does, not which they are.
                explanation = replace(
                    explanation, status="merged, through records outside your reach"
                )
            elif explanation.status.startswith("not merged:") and self._hides_any(
                act.scope, self._cluster_ids(left) | self._cluster_ids(right)
            ):
                explanation = replace(
                    explanation, status="not merged, for a reason in records outside your reach"
                )
        return explanation

    def _cluster_ids(self, *seeds: str) -> set[str]:
        ids, _ = canon.component(set(seeds), self.store.judgements.touching)
        return ids

    def _chain_ids(self, left: str, right: str) -> set[str]:
        _, edges = canon.component({left}, self.store.judgements.touching)
        return {i for j in canon.path(left, right, edges) or [] for i in (j.left, j.right)}

    def _hides_any(self, scope: Scope, ids: set[str]) -> bool:
        """Whether any of these records has a statement the scope may not read."""
        if scope.readable is None or not ids:
            return False
        found = self.store.statements_for(ids)
        return any(len(scope.rows(found.get(i, []))) != len(found.get(i, [])) for i in ids)

    def review(self, limit: int = 20, offset: int = 0) -> list[ReviewItem]:
        """Candidate pairs waiting for a reviewer, the most uncertain first; only pairs
        whose records the caller may read whole."""
        with self._act(CONSULTATION, "review") as act:
            scope = act.scope
            if scope.readable is None:
                items = self.store.judgements.review(limit, offset)
            else:
                items = self._readable_pairs(scope, limit, offset)
            act.ids = [i for item in items for i in (item.left, item.right)]
        return items

    def _readable_pairs(self, scope: Scope, limit: int, offset: int) -> list[ReviewItem]:
        found: list[ReviewItem] = []
        skipped = 0
        start = 0
        while len(found) < limit:
            batch = self.store.judgements.review(200, start)
            if not batch:
                break
            start += len(batch)
            rows = self.store.statements_for({i for b in batch for i in (b.left, b.right)})
            for item in batch:
                sides = [rows.get(item.left, []), rows.get(item.right, [])]
                if all(side and len(scope.rows(side)) == len(side) for side in sides):
                    if skipped < offset:
                        skipped += 1
                    elif len(found) < limit:
                        found.append(item)
        return found

    def judgements(
        self, entity_id: str | None = None, *, include_undone: bool = False, cluster: bool = False
    ) -> list[Judgement]:
        """Judgements (about one entity, if given; with `cluster`, about any record merged
        with it), oldest first; only those whose records the caller may read."""
        with self._act(CONSULTATION, "judgements") as act:
            store = self.store.judgements
            scope = act.scope
            if entity_id is None:
                found = store.all(active=not include_undone)
            else:
                seeds = {entity_id}
                if cluster and not self._hides_any(scope, seeds):
                    # A record the caller cannot read does not lead to its cluster.
                    seeds = self._cluster_ids(entity_id)
                found = store.touching(seeds, active=not include_undone)
            if scope.readable is not None:
                rows = self.store.statements_for({i for j in found for i in (j.left, j.right)})
                found = [
                    j
                    for j in found
                    if all(
                        rows.get(i) and len(scope.rows(rows[i])) == len(rows[i])
                        for i in (j.left, j.right)
                    )
                ]
            act.ids = sorted({i for j in found for i in (j.left, j.right)})
        return found

    def _refresh(self, changed: set[str], progress: Progress) -> None:
        """Bring the search index in line with new canonical ids (the graph view
        notices by itself: its fingerprint includes the judgements' version)."""
        if changed:
            indexer.update(self.store, self.index, self.settings, changed, progress)
