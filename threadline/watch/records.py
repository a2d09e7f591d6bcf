"""What a watch is, the alerts it raises and their deliveries, as plain records.

A watch belongs to its owner and is evaluated as them, in the case and purpose it was
made in. Its `spec` holds what it watches: a search (`query` and the filters of
`threadline.watch.searchspec`: `schema`, `dataset`, `country`, and the document
facets `doc_type`, `sender`, `recipient`, `year` when set), an entity (`entity_id`) or a pair (`source`, `target`, `max_hops`).
`watermark` is the position in the change feed it has evaluated up to.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from threadline.watch.errors import WatchError
from threadline.watch.searchspec import filter_labels

MAX_HOPS = 6
EMAIL = "email"
WEBHOOK = "webhook"


class WatchKind(StrEnum):
    """What a watch watches."""

    SEARCH = "search"
    ENTITY = "entity"
    PAIR = "pair"


class DeliveryStatus(StrEnum):
    """Where an alert's sending stands: `pending` and `failed` are tried again at the
    next evaluation; `withheld` when its owner may no longer read what it names."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    WITHHELD = "withheld"


def now() -> str:
    """The current UTC time, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_id() -> str:
    """A random id for a watch or an alert."""
    return uuid.uuid4().hex[:16]


@dataclass(frozen=True)
class Watch:
    """One saved search, entity or pair, and where its alerts go."""

    id: str
    owner: str
    kind: WatchKind
    spec: dict[str, Any]
    created_at: str
    case_id: str | None = None
    purpose: str | None = None
    email: str | None = None
    webhook: str | None = None
    secret: str | None = field(default=None, repr=False)  # the webhook's HMAC key
    watermark: int = 0
    last_error: str = ""

    def describe(self) -> str:
        """One line saying what is watched."""
        spec = self.spec
        if self.kind is WatchKind.SEARCH:
            filters = filter_labels(spec)
            return f"search {spec['query']!r}" + (f" ({', '.join(filters)})" if filters else "")
        if self.kind is WatchKind.ENTITY:
            return f"entity {spec['entity_id']}"
        return (
            f"a path of at most {spec['max_hops']} hops from {spec['source']} to {spec['target']}"
        )


@dataclass(frozen=True)
class Alert:
    """Something new for a watch: a search hit, a record or link of an entity, a path."""

    id: str
    watch_id: str
    owner: str
    created_at: str
    key: str  # what it is about, unique per watch: `hit:ID`, `member:ID`, `link:ID`, `path:...`
    title: str
    entity_ids: tuple[str, ...]
    datasets: tuple[str, ...]  # whose statements it shows: its owner must still read them


@dataclass(frozen=True)
class Delivery:
    """One alert's sending over one channel, with its last error."""

    alert_id: str
    channel: str  # email or webhook
    target: str
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    error: str = ""
    sent_at: str | None = None


def new_watch(
    owner: str,
    kind: WatchKind | str,
    spec: dict[str, Any],
    *,
    case_id: str | None = None,
    purpose: str | None = None,
    email: str | None = None,
    webhook: str | None = None,
) -> Watch:
    """A new watch, its fields checked; a webhook gets a fresh signing secret."""
    kind = WatchKind(kind)
    if kind is WatchKind.SEARCH and not str(spec.get("query", "")).strip():
        raise WatchError("query: a search watch needs a query")
    if kind is WatchKind.ENTITY and not spec.get("entity_id"):
        raise WatchError("entity_id: an entity watch needs an entity id")
    if kind is WatchKind.PAIR:
        if not spec.get("source") or not spec.get("target"):
            raise WatchError("source, target: a pair watch needs two entity ids")
        if spec["source"] == spec["target"]:
            raise WatchError("target: a pair watch needs two different entities")
        hops = spec.get("max_hops")
        if not isinstance(hops, int) or not 1 <= hops <= MAX_HOPS:
            raise WatchError(f"max_hops: must be a whole number from 1 to {MAX_HOPS}")
    if email is not None and ("@" not in email or any(c in email for c in "\r\n<>,; ")):
        raise WatchError(f"email: {email!r} is not one e-mail address")
    return Watch(
        id=new_id(),
        owner=owner,
        kind=kind,
        spec=dict(spec),
        created_at=now(),
        case_id=case_id,
        purpose=purpose,
        email=email or None,
        webhook=webhook or None,
        secret=secrets.token_urlsafe(32) if webhook else None,
    )


@dataclass(frozen=True)
class AlertView:
    """An alert with how its sending went on each channel, and whether it was seen."""

    alert: Alert
    deliveries: tuple[Delivery, ...] = ()
    seen: bool = False  # its owner has marked it seen


@dataclass
class Evaluation:
    """What one round of evaluation did: watches evaluated, new alerts, deliveries
    sent and failed, and the watches that could not be evaluated (id: why)."""

    evaluated: int = 0
    alerts: list[Alert] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    errors: dict[str, str] = field(default_factory=dict)
