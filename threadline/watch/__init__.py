"""Watchlists and alerts: saved searches, entities and pairs a user watches, the alerts
their changes raise, and the delivery of those alerts by e-mail and signed webhook.

The domain half lives here (records, SQL store, the change feed and watermarks, what is
new for a watch, SSRF checks, webhook signing, mail); `threadline.app.verbs.watches`
evaluates watches as their owners, under their current grants, and audits each alert.
"""

from __future__ import annotations

from threadline.watch.errors import UnsafeTarget, WatchError, WatchNotFound
from threadline.watch.records import (
    Alert,
    AlertView,
    Delivery,
    DeliveryStatus,
    Evaluation,
    Watch,
    WatchKind,
)
from threadline.watch.sql import SQLWatchStore

__all__ = [
    "Alert",
    "AlertView",
    "Delivery",
    "DeliveryStatus",
    "Evaluation",
    "SQLWatchStore",
    "UnsafeTarget",
    "Watch",
    "WatchError",
    "WatchKind",
    "WatchNotFound",
]
