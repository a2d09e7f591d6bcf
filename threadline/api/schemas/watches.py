"""Wire models of watches, alerts and evaluations (`/watches`, `/alerts`)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from threadline.api.schemas.wire import Wire
from threadline.watch import AlertView, Delivery, Evaluation, Watch
from threadline.watch.records import MAX_HOPS

Id = Field(min_length=1, max_length=255)
Email = Field(default=None, min_length=3, max_length=320, description="Send alerts here too.")
Webhook = Field(
    default=None,
    min_length=8,
    max_length=2000,
    description="POST alerts here, signed (docs/watches.md); public addresses only, "
    "unless the operator allows others.",
)


class SearchWatchIn(Wire):
    """`watch_search(query, schema=, dataset=, country=, doc_type=, sender=, recipient=,
    year=, email=, webhook=)`."""

    query: str = Field(min_length=1, max_length=1000)
    schema_: str | None = Field(default=None, alias="schema", max_length=64)
    dataset: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=10)
    doc_type: str | None = Field(default=None, max_length=64)
    sender: str | None = Field(default=None, max_length=320)
    recipient: str | None = Field(default=None, max_length=320)
    year: int | None = Field(default=None, ge=1, le=9999)
    email: str | None = Email
    webhook: str | None = Webhook


class EntityWatchIn(Wire):
    """`watch_entity(entity_id, email=, webhook=)`."""

    entity_id: str = Id
    email: str | None = Email
    webhook: str | None = Webhook


class PairWatchIn(Wire):
    """`watch_pair(source, target, max_hops=, email=, webhook=)`."""

    source: str = Id
    target: str = Id
    max_hops: int = Field(default=3, ge=1, le=MAX_HOPS)
    email: str | None = Email
    webhook: str | None = Webhook


class WatchOut(Wire):
    """A watch; `secret` is the webhook's signing key (shown to its owner only)."""

    id: str
    kind: str
    spec: dict[str, Any]
    created_at: str
    case_id: str | None
    purpose: str | None
    email: str | None
    webhook: str | None
    secret: str | None
    last_error: str

    @classmethod
    def of(cls, watch: Watch) -> WatchOut:
        return cls(
            id=watch.id,
            kind=watch.kind.value,
            spec=watch.spec,
            created_at=watch.created_at,
            case_id=watch.case_id,
            purpose=watch.purpose,
            email=watch.email,
            webhook=watch.webhook,
            secret=watch.secret,
            last_error=watch.last_error,
        )


class DeliveryOut(Wire):
    """How an alert's sending on one channel went."""

    channel: str
    target: str
    status: str
    attempts: int
    error: str
    sent_at: str | None

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryOut:
        return cls(
            channel=delivery.channel,
            target=delivery.target,
            status=delivery.status.value,
            attempts=delivery.attempts,
            error=delivery.error,
            sent_at=delivery.sent_at,
        )


class AlertOut(Wire):
    """An alert, with its deliveries."""

    id: str
    watch_id: str
    created_at: str
    key: str
    title: str
    entity_ids: list[str]
    datasets: list[str]
    deliveries: list[DeliveryOut]
    seen: bool = Field(default=False, description="whether its owner marked it seen")

    @classmethod
    def of(cls, view: AlertView) -> AlertOut:
        alert = view.alert
        return cls(
            id=alert.id,
            watch_id=alert.watch_id,
            created_at=alert.created_at,
            key=alert.key,
            title=alert.title,
            entity_ids=list(alert.entity_ids),
            datasets=list(alert.datasets),
            deliveries=[DeliveryOut.of(d) for d in view.deliveries],
            seen=view.seen,
        )


class EvaluationOut(Wire):
    """What an evaluation did."""

    evaluated: int
    alerts: list[str]
    sent: int
    failed: int
    errors: dict[str, str]

    @classmethod
    def of(cls, report: Evaluation) -> EvaluationOut:
        return cls(
            evaluated=report.evaluated,
            alerts=[a.id for a in report.alerts],
            sent=report.sent,
            failed=report.failed,
            errors=report.errors,
        )


class AlertsSeenOut(Wire):
    """How many of a watch's alerts were marked seen that were not before."""

    marked: int
