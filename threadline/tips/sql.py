"""The tip store in SQL through SQLAlchemy Core, in the same database as the store
(SQLite or PostgreSQL): tips and their files."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, insert, select, update

from threadline.store.sqlengine import shared_engine
from threadline.tips import tables as t
from threadline.tips.errors import TipError, TipNotFound
from threadline.tips.records import Tip, TipFile, TipStatus, now


def _file(row: Any) -> TipFile:
    return TipFile(**{c.name: row._mapping[c.name] for c in t.files.columns})


class SQLTipStore:
    """Tip tables (`tip_*`) in a SQL database: a URL, or the store's own engine."""

    def __init__(self, url: str | Engine) -> None:
        self.engine, self._owned = shared_engine(url)
        t.metadata.create_all(self.engine)

    def close(self) -> None:
        """Release the engine if this store opened it."""
        if self._owned:
            self.engine.dispose()

    def add(self, tip: Tip) -> None:
        """Store a new tip with its files, together."""
        row = {c.name: getattr(tip, c.name) for c in t.tips.columns}
        row["status"] = tip.status.value
        with self.engine.begin() as conn:
            conn.execute(insert(t.tips), [row])
            if tip.files:
                conn.execute(insert(t.files), [f.__dict__ for f in tip.files])

    def tip(self, tip_id: str) -> Tip:
        """One tip with its files, or `TipNotFound`."""
        found = self._load(select(t.tips).where(t.tips.c.id == tip_id))
        if not found:
            raise TipNotFound(f"No tip with id {tip_id!r}")
        return found[0]

    def tips(self, status: TipStatus | None = None, limit: int = 100) -> list[Tip]:
        """Tips, newest first, with their files; only those of `status` if given."""
        c = t.tips.c
        query = select(t.tips).order_by(c.received_at.desc(), c.id).limit(limit)
        if status is not None:
            query = query.where(c.status == status.value)
        return self._load(query)

    def _load(self, query: Any) -> list[Tip]:
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
            ids = [row.id for row in rows]
            by_tip: dict[str, list[TipFile]] = {i: [] for i in ids}
            if ids:
                wanted = select(t.files).where(t.files.c.tip_id.in_(ids))
                for row in conn.execute(wanted.order_by(t.files.c.position)):
                    by_tip[row.tip_id].append(_file(row))
        return [_tip(row, by_tip[row.id]) for row in rows]

    def decide(
        self,
        tip_id: str,
        status: TipStatus,
        by: str,
        *,
        reason: str = "",
        case_id: str | None = None,
        dataset: str | None = None,
    ) -> Tip:
        """Reject a new tip or mark it opened as a case; `TipError` unless it is new.

        The update only matches a tip that is still new, so of two triagers deciding
        at once one wins and the other is told."""
        if status is TipStatus.NEW:
            raise TipError("status: a decision rejects a tip or opens it as a case")
        c = t.tips.c
        change = (
            update(t.tips)
            .where(c.id == tip_id, c.status == TipStatus.NEW.value)
            .values(
                status=status.value,
                decided_by=by,
                decided_at=now(),
                reason=reason,
                case_id=case_id,
                dataset=dataset,
            )
        )
        with self.engine.begin() as conn:
            changed = conn.execute(change).rowcount
        tip = self.tip(tip_id)
        if not changed:
            raise TipError(f"tip {tip_id} was already {_decided(tip)}")
        return tip


def _tip(row: Any, files: Sequence[TipFile]) -> Tip:
    values = {c.name: row._mapping[c.name] for c in t.tips.columns}
    values["status"] = TipStatus(values["status"])
    return Tip(**values, files=tuple(files))


def _decided(tip: Tip) -> str:
    if tip.status is TipStatus.OPENED:
        return f"opened as case {tip.case_id} by {tip.decided_by}"
    return f"{tip.status.value} by {tip.decided_by} on {tip.decided_at}"
