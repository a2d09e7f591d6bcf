"""Watch verbs: watch a saved search, an entity or a pair; list and remove watches;
read alerts; evaluate watches (also run after every ingest and resolution).

A watch is made in its owner's scope (case, purpose) and evaluated as its owner, whose
principal is read afresh each time: a revoked grant or a new marking means no alert
from that collection. Evaluation looks only at the change feed since the watch's
watermark; each alert is an audited disclosure naming its recipients
(`threadline.app.verbs.watch_evaluation`), and each sending is audited before
anything leaves (`threadline.app.verbs.alert_sending`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from threadline.access.policy import is_admin
from threadline.access.profiling import refuse_profiling
from threadline.app.verbs.watch_evaluation import WatchEvaluation
from threadline.audit import ActionKind
from threadline.watch import WatchNotFound
from threadline.watch.records import AlertView, Evaluation, Watch, WatchKind, new_watch
from threadline.watch.searchspec import search_spec
from threadline.watch.ssrf import check_target

ALTERATION = ActionKind.ALTERATION
MAX_SEEN = 10_000  # alerts of one watch marked seen at once, newest first
CONSULTATION = ActionKind.CONSULTATION


class WatchVerbs(WatchEvaluation):
    """Watches and their alerts."""

    def watch_search(
        self,
        query: str,
        *,
        schema: str | None = None,
        dataset: str | None = None,
        country: str | None = None,
        doc_type: str | None = None,
        sender: str | None = None,
        recipient: str | None = None,
        year: int | None = None,
        email: str | None = None,
        webhook: str | None = None,
    ) -> Watch:
        """Watch a saved search: alert on each entity that newly matches it, with the
        filters search takes (the document facets too). A query that selects people by
        nationality, ethnicity, religion, immigration status or physical traits is
        refused, with the rule search uses."""
        spec = search_spec(
            query,
            schema=schema,
            dataset=dataset,
            country=country,
            doc_type=doc_type,
            sender=sender,
            recipient=recipient,
            year=year,
        )
        return self._add_watch(WatchKind.SEARCH, spec, email, webhook)

    def watch_entity(
        self, entity_id: str, *, email: str | None = None, webhook: str | None = None
    ) -> Watch:
        """Watch an entity: alert on new records resolved into it and new links to it."""
        return self._add_watch(WatchKind.ENTITY, {"entity_id": entity_id}, email, webhook)

    def watch_pair(
        self,
        source: str,
        target: str,
        *,
        max_hops: int = 3,
        email: str | None = None,
        webhook: str | None = None,
    ) -> Watch:
        """Watch a pair: alert when a path of at most `max_hops` appears between them."""
        spec = {"source": source, "target": target, "max_hops": max_hops}
        return self._add_watch(WatchKind.PAIR, spec, email, webhook)

    def _add_watch(
        self, kind: WatchKind, spec: dict[str, Any], email: str | None, webhook: str | None
    ) -> Watch:
        with self._act(ALTERATION, f"watch.{kind.value}") as act:
            scope = act.scope
            if kind is WatchKind.SEARCH:
                act.detail = self.accountability.hashed("query", str(spec["query"]))
                refuse_profiling(str(spec["query"]), spec["schema"], spec["country"], standing=True)
            watch = new_watch(
                scope.actor,
                kind,
                spec,
                case_id=scope.case.id if scope.case else None,
                purpose=scope.purpose,
                email=email,
                webhook=webhook,
            )
            if webhook:
                check_target(webhook, self.settings.webhook_allow)
            store = self._watches
            head = store.head()
            baseline = self._findings(act, watch, None)
            store.add(replace(watch, watermark=head), [f.key for f in baseline])
            subjects = [v for k, v in spec.items() if k in ("entity_id", "source", "target")]
            act.ids = [f"watch:{watch.id}", *subjects]
        return replace(watch, watermark=head)

    def watches(self) -> list[Watch]:
        """The caller's watches, oldest first (webhook secrets included: they are theirs)."""
        with self._act(CONSULTATION, "watch.list", personal=False) as act:
            found = self._watches.watches(act.scope.actor)
            act.ids = [f"watch:{w.id}" for w in found]
        return found

    def unwatch(self, watch_id: str) -> None:
        """Stop a watch of the caller's; its alerts go with it."""
        with self._act(ALTERATION, "watch.remove", personal=False) as act:
            act.ids = [f"watch:{watch_id}"]
            self._own(act.scope.actor, watch_id)
            self._watches.remove(watch_id)

    def _own(self, actor: str, watch_id: str) -> Watch:
        watch = self._watches.watch(watch_id)
        if watch.owner != actor:
            raise WatchNotFound(f"No watch with id {watch_id!r}")  # others' ids stay unknown
        return watch

    def alerts(self, watch_id: str | None = None, limit: int = 100) -> list[AlertView]:
        """The caller's alerts, newest first, with their deliveries; only those whose
        collections the caller may still read."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        with self._act(CONSULTATION, "alert.list") as act:
            scope = act.scope
            if watch_id is not None:
                self._own(scope.actor, watch_id)
            found = self._watches.alerts(scope.actor, watch_id, limit)
            found = [a for a in found if all(scope.sees(d) for d in a.datasets)]
            sent = self._watches.deliveries([a.id for a in found])
            read = self._watches.read({a.watch_id for a in found})
            act.ids = list(dict.fromkeys(i for a in found for i in a.entity_ids))
        return [AlertView(a, tuple(sent.get(a.id, ())), a.id in read) for a in found]

    def alerts_seen(self, watch_id: str) -> int:
        """Mark the alerts of a watch of the caller's seen (those they may still read);
        how many were not seen before."""
        with self._act(ALTERATION, "alert.seen", personal=False) as act:
            scope = act.scope
            self._own(scope.actor, watch_id)
            found = self._watches.alerts(scope.actor, watch_id, MAX_SEEN)
            ids = [a.id for a in found if all(scope.sees(d) for d in a.datasets)]
            act.ids = [f"watch:{watch_id}", *(f"alert:{i}" for i in ids)]
            marked = self._watches.mark_read(watch_id, ids)
            act.detail = f"marked={marked}"
        return marked

    def evaluate_watches(self) -> Evaluation:
        """Evaluate the caller's watches now (the local admin's and admins': everyone's),
        and retry alerts not yet sent. Ingest and resolution do this by themselves."""
        with self._act(CONSULTATION, "watch.evaluate", personal=False) as act:
            principal = act.scope.principal
            owner = None if is_admin(principal) else act.scope.actor
            report = self._evaluate(owner)
            act.ids = [f"alert:{a.id}" for a in report.alerts]
            act.detail = f"watches={report.evaluated} sent={report.sent} failed={report.failed}"
        return report
