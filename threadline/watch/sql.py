"""The watch store in SQL through SQLAlchemy Core, in the same database as the store
(SQLite or PostgreSQL): watches, what each has seen, the change feed, alerts and their
deliveries."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from threadline.store.sqlengine import shared_engine
from threadline.watch import tables as t
from threadline.watch.errors import WatchNotFound
from threadline.watch.records import Alert, Delivery, DeliveryStatus, Watch, WatchKind

RETRIED = (DeliveryStatus.PENDING.value, DeliveryStatus.FAILED.value)
# An alert its owner marked seen is kept among its watch's seen keys as `read:ALERT_ID`
# (no finding's key starts so): it goes when the watch does, and needs no table of its own.
READ = "read:"


def _watch(row: Any) -> Watch:
    values = dict(row._mapping)
    values["kind"] = WatchKind(values["kind"])
    values["spec"] = orjson.loads(values["spec"])
    return Watch(**values)


def _alert(row: Any) -> Alert:
    values = {c.name: row._mapping[c.name] for c in t.alerts.columns}
    values["entity_ids"] = tuple(orjson.loads(values["entity_ids"]))
    values["datasets"] = tuple(orjson.loads(values["datasets"]))
    return Alert(**values)


def _delivery(row: Any) -> Delivery:
    values = {c.name: row._mapping[c.name] for c in t.deliveries.columns}
    values["status"] = DeliveryStatus(values["status"])
    return Delivery(**values)


def _json(values: Iterable[str]) -> str:
    return orjson.dumps(list(values)).decode("utf-8")


class SQLWatchStore:
    """Watch tables (`watch_*`) in a SQL database: a URL, or the store's own engine."""

    def __init__(self, url: str | Engine) -> None:
        self.engine, self._owned = shared_engine(url)
        t.metadata.create_all(self.engine)

    def close(self) -> None:
        """Release the engine if this store opened it."""
        if self._owned:
            self.engine.dispose()

    # Watches -----------------------------------------------------------------------

    def add(self, watch: Watch, seen: Collection[str]) -> None:
        """Store a new watch with its baseline: what it must never alert on."""
        row = {**watch.__dict__, "kind": watch.kind.value, "spec": orjson.dumps(watch.spec)}
        row["spec"] = row["spec"].decode("utf-8")
        with self.engine.begin() as conn:
            conn.execute(insert(t.watches), [row])
            self._see(conn, watch.id, seen)

    def watch(self, watch_id: str) -> Watch:
        """One watch, or `WatchNotFound`."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.watches).where(t.watches.c.id == watch_id)).first()
        if row is None:
            raise WatchNotFound(f"No watch with id {watch_id!r}")
        return _watch(row)

    def watches(self, owner: str | None = None) -> list[Watch]:
        """Every watch, or one owner's, oldest first."""
        query = select(t.watches).order_by(t.watches.c.created_at, t.watches.c.id)
        if owner is not None:
            query = query.where(t.watches.c.owner == owner)
        with self.engine.connect() as conn:
            return [_watch(row) for row in conn.execute(query)]

    def any(self) -> bool:
        """Whether any watch exists (else changes need not be fed)."""
        with self.engine.connect() as conn:
            return conn.execute(select(t.watches.c.id).limit(1)).first() is not None

    def remove(self, watch_id: str) -> None:
        """Delete a watch with what it has seen, its alerts and their deliveries."""
        mine = select(t.alerts.c.id).where(t.alerts.c.watch_id == watch_id)
        with self.engine.begin() as conn:
            conn.execute(delete(t.deliveries).where(t.deliveries.c.alert_id.in_(mine)))
            conn.execute(delete(t.alerts).where(t.alerts.c.watch_id == watch_id))
            conn.execute(delete(t.seen).where(t.seen.c.watch_id == watch_id))
            if not conn.execute(delete(t.watches).where(t.watches.c.id == watch_id)).rowcount:
                raise WatchNotFound(f"No watch with id {watch_id!r}")

    def evaluated(self, watch_id: str, watermark: int, error: str = "") -> None:
        """Move a watch's watermark (after an evaluation), with its error or none."""
        change = update(t.watches).where(t.watches.c.id == watch_id)
        with self.engine.begin() as conn:
            conn.execute(change.values(watermark=watermark, last_error=error))

    def failed(self, watch_id: str, error: str) -> None:
        """Keep why a watch could not be evaluated; its watermark stays."""
        change = update(t.watches).where(t.watches.c.id == watch_id)
        with self.engine.begin() as conn:
            conn.execute(change.values(last_error=error))

    def seen(self, watch_id: str) -> set[str]:
        """The keys a watch has seen."""
        query = select(t.seen.c.key).where(t.seen.c.watch_id == watch_id)
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def mark_read(self, watch_id: str, alert_ids: Collection[str]) -> int:
        """Keep that these alerts of a watch were seen by its owner; how many were new."""
        keys = {READ + a for a in alert_ids}
        c = t.seen.c
        with self.engine.begin() as conn:
            known = select(c.key).where(c.watch_id == watch_id, c.key.in_(sorted(keys)))
            new = keys - set(conn.execute(known).scalars())
            self._see(conn, watch_id, new)
        return len(new)

    def read(self, watch_ids: Collection[str]) -> set[str]:
        """The ids of these watches' alerts their owners have marked seen."""
        c = t.seen.c
        query = select(c.key).where(c.watch_id.in_(sorted(watch_ids)), c.key.startswith(READ))
        with self.engine.connect() as conn:
            return {key[len(READ) :] for key in conn.execute(query).scalars()}

    @staticmethod
    def _see(conn: Connection, watch_id: str, keys: Iterable[str]) -> None:
        rows = [{"watch_id": watch_id, "key": key} for key in sorted(set(keys))]
        if rows:
            conn.execute(insert(t.seen), rows)

    # The change feed ---------------------------------------------------------------

    def head(self) -> int:
        """The feed's last position (0 when nothing was ever fed)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(t.feed.c.position))).scalar() or 0)

    def feed(self, entity_ids: Collection[str]) -> None:
        """Append changed entity ids, if any watch may care."""
        if entity_ids and self.any():
            rows = [{"entity_id": i} for i in sorted(set(entity_ids))]
            with self.engine.begin() as conn:
                conn.execute(insert(t.feed), rows)

    def changed(self, after: int, upto: int) -> set[str]:
        """The ids fed after position `after`, up to `upto`."""
        c = t.feed.c
        query = select(c.entity_id).where(c.position > after, c.position <= upto).distinct()
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def prune(self) -> None:
        """Forget the feed every watch has passed (its last row stays: the head)."""
        with self.engine.begin() as conn:
            low = conn.execute(select(func.min(t.watches.c.watermark))).scalar()
            top = conn.execute(select(func.max(t.feed.c.position))).scalar()
            if top is None:
                return
            upto = top if low is None else min(int(low), top)
            conn.execute(delete(t.feed).where(t.feed.c.position <= upto, t.feed.c.position < top))

    # Alerts and deliveries ---------------------------------------------------------

    def add_alerts(self, alerts: list[Alert], deliveries: list[Delivery]) -> None:
        """Store new alerts, their keys as seen, and their deliveries, together."""
        rows = [
            {**a.__dict__, "entity_ids": _json(a.entity_ids), "datasets": _json(a.datasets)}
            for a in alerts
        ]
        if not rows:
            return
        with self.engine.begin() as conn:
            conn.execute(insert(t.alerts), rows)
            for alert in alerts:
                self._see(conn, alert.watch_id, [alert.key])
            if deliveries:
                sent = [{**d.__dict__, "status": d.status.value} for d in deliveries]
                conn.execute(insert(t.deliveries), sent)

    def alerts(self, owner: str, watch_id: str | None = None, limit: int = 100) -> list[Alert]:
        """An owner's alerts, newest first."""
        c = t.alerts.c
        query = select(t.alerts).where(c.owner == owner).order_by(c.created_at.desc(), c.id)
        if watch_id is not None:
            query = query.where(c.watch_id == watch_id)
        with self.engine.connect() as conn:
            return [_alert(row) for row in conn.execute(query.limit(limit))]

    def deliveries(self, alert_ids: Collection[str]) -> dict[str, list[Delivery]]:
        """The deliveries of these alerts, by alert id."""
        query = select(t.deliveries).where(t.deliveries.c.alert_id.in_(sorted(alert_ids)))
        found: dict[str, list[Delivery]] = {a: [] for a in alert_ids}
        with self.engine.connect() as conn:
            for row in conn.execute(query.order_by(t.deliveries.c.channel)):
                found[row.alert_id].append(_delivery(row))
        return found

    def pending(self, watch_id: str, max_attempts: int) -> list[tuple[Alert, Delivery]]:
        """A watch's deliveries still to try (pending, or failed fewer times than allowed)."""
        d, a = t.deliveries.c, t.alerts.c
        query = (
            select(t.alerts, t.deliveries)
            .join(t.deliveries, d.alert_id == a.id)
            .where(a.watch_id == watch_id, d.status.in_(RETRIED), d.attempts < max_attempts)
            .order_by(a.created_at, a.id, d.channel)
        )
        with self.engine.connect() as conn:
            # The two tables share no column name: one row holds both.
            found = [(_alert(row), _delivery(row)) for row in conn.execute(query)]
        return found

    def delivered(self, delivery: Delivery) -> None:
        """Keep how a delivery attempt went."""
        d = t.deliveries.c
        change = update(t.deliveries).where(
            d.alert_id == delivery.alert_id, d.channel == delivery.channel
        )
        values = {
            "status": delivery.status.value,
            "attempts": delivery.attempts,
            "error": delivery.error,
            "sent_at": delivery.sent_at,
        }
        with self.engine.begin() as conn:
            conn.execute(change.values(values))
