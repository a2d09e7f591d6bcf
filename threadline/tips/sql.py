"""The tip store in SQL through SQLAlchemy Core, in the same database as the store
(SQLite or PostgreSQL): tips and their files."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from threadline.store.sqlengine import shared_engine
from threadline.tips import tables as t
from threadline.tips.errors import TipError, TipNotFound
from threadline.tips.records import Tip, TipFile, TipStatus, now
from threadline.tips.upkeep import SQLTipUpkeep


def _file(row: Any) -> TipFile:
    return TipFile(**{c.name: row._mapping[c.name] for c in t.files.columns})


class SQLTipStore(SQLTipUpkeep):
    """Tip tables (`tip_*`) in a SQL database: a URL, or the store's own engine."""

    def __init__(self, url: str | Engine) -> None:
        self.engine, self._owned = shared_engine(url)
        t.metadata.create_all(self.engine)

    def close(self) -> None:
        """Release the engine if this store opened it."""
        if self._owned:
            self.engine.dispose()

    def add(self, tip: Tip) -> bool:
        """Store a new tip with its files, together; False (and nothing stored) if a
        tip of its id is there already, as when a sender's retry races its first try."""
        row = {c.name: getattr(tip, c.name) for c in t.tips.columns}
        row["status"] = tip.status.value
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(t.tips), [row])
                if tip.files:
                    conn.execute(insert(t.files), [f.__dict__ for f in tip.files])
        except IntegrityError:
            if not self._load(select(t.tips).where(t.tips.c.id == tip.id)):
                raise  # not the id: something else is wrong
            return False
        return True

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
        claim: str | None = None,
    ) -> Tip:
        """Reject a new tip or mark it opened as a case; `TipError` unless it is new
        (or `opening` under `claim`, the time `claim` returned).

        The update only matches a tip that is still new, so of two triagers deciding
        at once one wins and the other is told."""
        if status in (TipStatus.NEW, TipStatus.OPENING):
            raise TipError("status: a decision rejects a tip or opens it as a case")
        c = t.tips.c
        current = c.status == TipStatus.NEW.value
        if claim is not None:
            current = and_(c.status == TipStatus.OPENING.value, c.decided_at == claim)
        change = (
            update(t.tips)
            .where(c.id == tip_id, current)
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

    def claim(self, tip_id: str, by: str, stale_before: str) -> str | None:
        """Claim a new tip for opening as a case (or take over a claim made before
        `stale_before`, whose call died): the claim's time, which `decide`,
        `note_case` and `release` are given back; None if the tip is not claimable.
        One conditional update, so of two calls at once exactly one claims it."""
        c = t.tips.c
        claimable = or_(
            c.status == TipStatus.NEW.value,
            and_(c.status == TipStatus.OPENING.value, c.decided_at < stale_before),
        )
        stamp = now()
        change = (
            update(t.tips)
            .where(c.id == tip_id, claimable)
            .values(status=TipStatus.OPENING.value, decided_by=by, decided_at=stamp)
        )
        with self.engine.begin() as conn:
            return stamp if conn.execute(change).rowcount else None

    def note_case(self, tip_id: str, claim: str, case_id: str, dataset: str) -> None:
        """Record the case made under a claim at once, so a retry after a failure
        further on goes on with that case instead of making another."""
        self._under_claim(tip_id, claim, case_id=case_id, dataset=dataset)

    def release(self, tip_id: str, claim: str) -> None:
        """Give a claim up (its call failed): the tip is new again, keeping the case
        noted under the claim, if any, for the next try."""
        self._under_claim(
            tip_id, claim, status=TipStatus.NEW.value, decided_by=None, decided_at=None
        )

    def _under_claim(self, tip_id: str, claim: str, **values: Any) -> None:
        c = t.tips.c
        mine = and_(c.id == tip_id, c.status == TipStatus.OPENING.value, c.decided_at == claim)
        with self.engine.begin() as conn:
            conn.execute(update(t.tips).where(mine).values(**values))


def _tip(row: Any, files: Sequence[TipFile]) -> Tip:
    values = {c.name: row._mapping[c.name] for c in t.tips.columns}
    values["status"] = TipStatus(values["status"])
    return Tip(**values, files=tuple(files))


def _decided(tip: Tip) -> str:
    if tip.status is TipStatus.OPENED:
        return f"opened as case {tip.case_id} by {tip.decided_by}"
    if tip.status is TipStatus.OPENING:
        return f"being opened as a case by {tip.decided_by} since {tip.decided_at}"
    return f"{tip.status.value} by {tip.decided_by} on {tip.decided_at}"
