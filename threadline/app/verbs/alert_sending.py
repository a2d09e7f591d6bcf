"""Sending alerts, as their watch's owner: by e-mail and by signed webhook.

Each attempt is an audited disclosure (`alert.send`) naming the alert, its entities
and the recipient, recorded as started before anything leaves, then with its outcome.
An alert whose collections the owner may no longer read is withheld, not sent. A
failure is kept on the delivery with its error and tried again at the next
evaluation, up to `alert_attempts` times; it never fails the ingest that raised it.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

import orjson

from threadline.access import SQLAccessStore
from threadline.app.verbs.watch_checks import WatchChecks
from threadline.audit import ActionKind
from threadline.watch import mail, webhook
from threadline.watch.errors import WatchError
from threadline.watch.records import EMAIL, Alert, Delivery, DeliveryStatus, Watch, now
from threadline.watch.sql import SQLWatchStore


def recipients(watch: Watch) -> list[str]:
    """Who an alert of this watch goes to, as the audit log names them."""
    found = [f"user:{watch.owner}"]
    if watch.email:
        found.append(f"mailto:{watch.email}")
    if watch.webhook:
        found.append(f"webhook:{shown_url(watch.webhook)}")
    return found


def shown_url(url: str) -> str:
    """A webhook URL as the log may keep it: without its query (it may hold a token)."""
    try:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}{parts.path}"
    except ValueError:
        return "(not a URL)"


def payload(watch: Watch, alert: Alert) -> bytes:
    """The webhook body of an alert."""
    return orjson.dumps(
        {
            "alert": {
                "id": alert.id,
                "watch_id": watch.id,
                "created_at": alert.created_at,
                "key": alert.key,
                "title": alert.title,
                "entity_ids": list(alert.entity_ids),
                "datasets": list(alert.datasets),
            },
            "watch": {"id": watch.id, "kind": watch.kind.value, "spec": watch.spec},
        }
    )


class AlertSending(WatchChecks):
    """Deliver a watch's pending alerts, acting as its owner."""

    @property
    def _watches(self) -> SQLWatchStore:
        lazy = self._backends.lazy
        if "watches" not in lazy:
            access = self.accountability.access
            # Beside the access tables, on their engine (closed with them).
            engine = access.engine if isinstance(access, SQLAccessStore) else "sqlite://"
            lazy["watches"] = SQLWatchStore(engine)
        store: SQLWatchStore = lazy["watches"]
        return store

    def _mail_server(self) -> mail.MailServer | None:
        s = self.settings
        if not s.smtp_host:
            return None
        return mail.MailServer(
            s.smtp_host,
            s.smtp_port,
            s.smtp_from,
            s.smtp_starttls,
            s.smtp_username,
            s.smtp_password,
            s.webhook_timeout,
        )

    def _send_pending(self, watch: Watch) -> tuple[int, int]:
        """Try every pending delivery of the watch; (sent, failed)."""
        sent = failed = 0
        store = self._watches
        for alert, delivery in store.pending(watch.id, self.settings.alert_attempts):
            outcome = self._send_one(watch, alert, delivery)
            store.delivered(outcome)
            sent += outcome.status is DeliveryStatus.SENT
            failed += outcome.status is DeliveryStatus.FAILED
        return sent, failed

    def _send_one(self, watch: Watch, alert: Alert, delivery: Delivery) -> Delivery:
        tried = replace(delivery, attempts=delivery.attempts + 1)
        shown = delivery.target if delivery.channel == EMAIL else shown_url(delivery.target)
        try:
            with self._act(ActionKind.DISCLOSURE, "alert.send", alters=True) as act:
                act.ids = list(alert.entity_ids)
                act.detail = f"alert={alert.id} channel={delivery.channel} recipient={shown}"
                if not all(act.scope.sees(d) for d in alert.datasets):
                    act.detail += " withheld: no longer readable"
                    return replace(
                        tried, status=DeliveryStatus.WITHHELD, error="no longer readable"
                    )
                if delivery.channel == EMAIL:
                    mail.send(self._mail_server(), watch, alert, delivery.target)
                else:
                    webhook.post(
                        delivery.target,
                        watch.secret or "",
                        payload(watch, alert),
                        allowed=self.settings.webhook_allow,
                        timeout=self.settings.webhook_timeout,
                    )
        except WatchError as error:  # recorded by `_act` as failed, kept on the delivery
            return replace(tried, status=DeliveryStatus.FAILED, error=str(error))
        return replace(tried, status=DeliveryStatus.SENT, error="", sent_at=now())
