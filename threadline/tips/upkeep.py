"""The tip store's upkeep in SQL: tips naming a person (subject reports, erasure),
their redaction, and the tips past retention, deleted with their files' records.

Each change returns the sha256 of files no tip refers to any longer, so the caller
can delete their bytes from the vault; the records go first, so a failure between
the two leaves only bytes no record names, never a record without its bytes.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Select, and_, delete, or_, select, update

from threadline.tips import tables as t
from threadline.tips.naming import blank
from threadline.tips.records import Tip, TipStatus


class SQLTipUpkeep:
    """Naming, redaction and retention queries, mixed into `SQLTipStore`."""

    engine: Engine

    if TYPE_CHECKING:

        def _load(self, query: Any) -> list[Tip]: ...

    def naming(self, values: Collection[str], addresses: Collection[str] = ()) -> list[Tip]:
        """Tips whose text, rejection reason or a file's name holds one of `values`
        (ignoring case), or whose sender address is one of `addresses`, newest first."""
        c, f = t.tips.c, t.files.c
        found: list[Any] = []
        for value in values:
            found.append(c.text.icontains(value, autoescape=True))
            found.append(c.reason.icontains(value, autoescape=True))
            named = select(f.tip_id).where(f.name.icontains(value, autoescape=True))
            found.append(c.id.in_(named))
        if addresses:
            found.append(c.client.in_(sorted(addresses)))
        if not found:
            return []
        query: Select[Any] = select(t.tips).where(or_(*found))
        return self._load(query.order_by(c.received_at.desc(), c.id))

    def page(self, after: str = "", size: int = 500) -> list[Tip]:
        """Tips in id order from just after `after`: every tip, a page at a time."""
        c = t.tips.c
        return self._load(select(t.tips).where(c.id > after).order_by(c.id).limit(size))

    def redact(self, tip_id: str, values: Collection[str]) -> set[str]:
        """Erase what a tip holds of a person: `values` in its text and reason become
        `[erased]`, its sender address and its files go. The sha256 of files no tip
        refers to any longer, whose bytes may go too."""
        with self.engine.begin() as conn:
            row = conn.execute(select(t.tips).where(t.tips.c.id == tip_id)).one_or_none()
            if row is None:
                return set()
            change = {
                "text": blank(row.text, values),
                "reason": blank(row.reason, values),
                "client": None,
            }
            conn.execute(update(t.tips).where(t.tips.c.id == tip_id).values(**change))
            return _drop_files(conn, [tip_id])

    def expired(self, before: str) -> list[Tip]:
        """Tips past retention: new ones received before `before`, and rejected ones
        rejected before it. Opened tips (and those being opened) are never listed."""
        c = t.tips.c
        old = or_(
            and_(c.status == TipStatus.NEW.value, c.received_at < before),
            and_(c.status == TipStatus.REJECTED.value, c.decided_at < before),
        )
        return self._load(select(t.tips).where(old).order_by(c.received_at, c.id))

    def remove(self, tip_ids: Collection[str]) -> set[str]:
        """Delete these tips (if still new or rejected) with their files' records:
        the sha256 of files no tip refers to any longer."""
        if not tip_ids:
            return set()
        c = t.tips.c
        removable = and_(
            c.id.in_(sorted(tip_ids)),
            c.status.in_([TipStatus.NEW.value, TipStatus.REJECTED.value]),
        )
        with self.engine.begin() as conn:
            ids = [r.id for r in conn.execute(select(c.id).where(removable))]
            gone = _drop_files(conn, ids)
            conn.execute(delete(t.tips).where(c.id.in_(ids)))
        return gone

    def referenced(self, sha256s: Collection[str]) -> set[str]:
        """Those of these hashes a tip's file still refers to."""
        if not sha256s:
            return set()
        f = t.files.c
        with self.engine.connect() as conn:
            query = select(f.sha256).where(f.sha256.in_(sorted(sha256s))).distinct()
            return {r.sha256 for r in conn.execute(query)}


def _drop_files(conn: Any, tip_ids: list[str]) -> set[str]:
    """Delete these tips' file records; the hashes left without any."""
    f = t.files.c
    if not tip_ids:
        return set()
    shas = {r.sha256 for r in conn.execute(select(f.sha256).where(f.tip_id.in_(tip_ids)))}
    conn.execute(delete(t.files).where(f.tip_id.in_(tip_ids)))
    if not shas:
        return set()
    kept = select(f.sha256).where(f.sha256.in_(sorted(shas))).distinct()
    return shas - {r.sha256 for r in conn.execute(kept)}
