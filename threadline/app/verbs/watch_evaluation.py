"""Evaluating watches: after every ingest and resolution (the hook), or when asked.

Changed ids go on the watches' feed; each watch is then evaluated as its owner, in the
case and purpose it was made in, over the feed after its watermark. New findings
become alerts, stored with their deliveries and recorded as disclosures naming their
recipients; then pending deliveries are sent. A watch that cannot be evaluated (its
owner removed, refused, the audit log failing) keeps the error and its watermark.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Collection

from sqlalchemy.exc import SQLAlchemyError

from threadline.app.context import Context
from threadline.app.verbs.alert_sending import AlertSending, recipients
from threadline.audit import ActionKind
from threadline.errors import ThreadlineError
from threadline.watch.records import Alert, Delivery, Evaluation, Watch, new_id, now

log = logging.getLogger(__name__)


class WatchEvaluation(AlertSending):
    """The change feed, and the evaluation of watches as their owners."""

    def _watch_feed(self, entity_ids: Collection[str]) -> None:
        """Put changed ids on the watches' feed; never fails the change itself."""
        try:
            self._watches.feed(entity_ids)
        except (ThreadlineError, SQLAlchemyError) as error:
            log.warning("watches: could not record changed entities (%s)", error)

    def _watch_changed(self, entity_ids: Collection[str] = ()) -> None:
        """Feed changed ids, then evaluate every watch; failures are kept on the
        watches and alerts (and logged), never raised into the ingest."""
        self._watch_feed(entity_ids)
        try:
            if self._watches.any():
                self._evaluate(None)
                self._watches.prune()
        except (ThreadlineError, SQLAlchemyError, OSError) as error:
            log.warning("watches: evaluation failed (%s)", error)

    def _evaluate(self, owner: str | None) -> Evaluation:
        report = Evaluation()
        store = self._watches
        for watch in store.watches(owner):
            head = store.head()
            owner_bench = copy.copy(self)  # as `Workbench.acting`: shared backends
            owner_bench.context = Context(
                actor=watch.owner, case=watch.case_id, purpose=watch.purpose
            )
            if head > watch.watermark:
                try:
                    report.alerts += owner_bench._check(watch, store.changed(watch.watermark, head))
                    store.evaluated(watch.id, head)
                    report.evaluated += 1
                except ThreadlineError as error:  # the owner is gone, refused, the audit failed
                    store.failed(watch.id, str(error))
                    report.errors[watch.id] = str(error)
                    continue
            sent, failed = owner_bench._send_pending(watch)
            report.sent, report.failed = report.sent + sent, report.failed + failed
        return report

    def _check(self, watch: Watch, changed: set[str]) -> list[Alert]:
        """As the owner: the alerts of what changed, stored and audited."""
        with self._act(ActionKind.CONSULTATION, "watch.check") as act:
            canonical = self.store.judgements.canonical(sorted(changed))
            wanted = changed | set(canonical.values())
            seen = self._watches.seen(watch.id)
            found = [f for f in self._findings(act, watch, wanted) if f.key not in seen]
            created = now()
            alerts = [
                Alert(
                    new_id(),
                    watch.id,
                    watch.owner,
                    created,
                    f.key,
                    f.title,
                    f.entity_ids,
                    f.datasets,
                )
                for f in found
            ]
            deliveries = [
                Delivery(a.id, channel, target)
                for a in alerts
                for channel, target in _channels(watch)
            ]
            act.ids = [f"watch:{watch.id}", *dict.fromkeys(i for a in alerts for i in a.entity_ids)]
            to = ",".join(recipients(watch))
            # On record first: an alert is never stored (or shown) without its disclosure.
            self.accountability.record_many(
                act.scope,
                ActionKind.DISCLOSURE,
                "alert",
                [(a.entity_ids, f"alert={a.id} watch={watch.id} recipients={to}") for a in alerts],
            )
            self._watches.add_alerts(alerts, deliveries)
        return alerts


def _channels(watch: Watch) -> list[tuple[str, str]]:
    found = []
    if watch.email:
        found.append(("email", watch.email))
    if watch.webhook:
        found.append(("webhook", watch.webhook))
    return found
