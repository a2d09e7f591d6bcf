"""Where judgements and the canonical map are kept: SQL (default) and in memory.

The canonical map lists only entities that belong to a merged cluster; every other id is
its own canonical id. The review queue holds candidate pairs waiting for a reviewer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    or_,
    select,
    update,
)

from threadline.resolve.judgement import Judgement, Verdict
from threadline.store import changes
from threadline.store.changes import MemoryChanges
from threadline.store.tables import insert_rows

metadata = MetaData()
judgements_table = Table(
    "judgements",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("left_id", String(255), nullable=False),
    Column("right_id", String(255), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("actor", String(255), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("score", Float, nullable=True),
    Column("reason", Text, nullable=True),
    Column("deleted_at", String(40), nullable=True),
    Column("deleted_by", String(255), nullable=True),
)
Index("ix_judgements_left", judgements_table.c.left_id)
Index("ix_judgements_right", judgements_table.c.right_id)
canonical_table = Table(
    "canonical",
    metadata,
    Column("entity_id", String(255), primary_key=True),
    Column("canonical_id", String(255), nullable=False, index=True),
)
review_table = Table(
    "review_queue",
    metadata,
    Column("left_id", String(255), primary_key=True),
    Column("right_id", String(255), primary_key=True),
    Column("weight", Float, nullable=False),
    Column("rule", Integer, nullable=False),
)


@dataclass(frozen=True)
class JudgementChange:
    """Everything one decision changes, written together: in the SQL store one
    transaction, so a crash or a snapshot never sees a judgement without its merge."""

    added: Sequence[Judgement] = ()
    deleted: Collection[str] = ()  # ids of judgements undone
    deleted_at: str = ""
    deleted_by: str = ""
    canonical: Mapping[str, str] | None = None  # the new map for `cleared` and itself
    cleared: Collection[str] = ()
    unqueued: Sequence[tuple[str, str]] = ()  # pairs judged: out of the review queue
    review: Sequence[ReviewItem] | None = None  # a new review queue, replacing the old


@dataclass(frozen=True)
class ReviewItem:
    """A candidate pair the scorer was unsure about."""

    left: str
    right: str
    weight: float
    rule: int


class JudgementStore(ABC):
    """Judgements (append, soft-delete), the canonical map and the review queue."""

    @abstractmethod
    def apply(self, change: JudgementChange) -> None:
        """Write a change whole: undone judgements, new ones, the canonical map, then
        the review queue."""

    @abstractmethod
    def get(self, judgement_id: str) -> Judgement | None:
        """One judgement, active or not."""

    @abstractmethod
    def touching(self, entity_ids: Collection[str], active: bool = True) -> list[Judgement]:
        """Judgements with either side in `entity_ids`, oldest first."""

    @abstractmethod
    def all(self, active: bool = True) -> list[Judgement]:
        """Every (active) judgement, oldest first."""

    @abstractmethod
    def canonical(self, entity_ids: Collection[str]) -> dict[str, str]:
        """Canonical id of each id (itself when not merged)."""

    @abstractmethod
    def members(self, canonical_id: str) -> list[str]:
        """Ids merged under a canonical id, sorted; [canonical_id] when none."""

    def set_canonical(self, mapping: Mapping[str, str], cleared: Collection[str]) -> None:
        """Drop the rows of `cleared`, then store `mapping` (entity id -> canonical id)."""
        self.apply(JudgementChange(canonical=mapping, cleared=cleared))

    @abstractmethod
    def members_of(self, canonical_ids: Collection[str]) -> dict[str, list[str]]:
        """Members of each given canonical id that heads a merged cluster."""

    @abstractmethod
    def version(self) -> str:
        """Changes whenever a judgement is added or undone (for derived views' staleness)."""

    @abstractmethod
    def canonical_map(self) -> dict[str, str]:
        """Every merged entity id and its canonical id."""

    def set_review(self, items: Iterable[ReviewItem]) -> None:
        """Replace the review queue."""
        self.apply(JudgementChange(review=list(items)))

    @abstractmethod
    def review(self, limit: int = 50, offset: int = 0) -> list[ReviewItem]:
        """Queued pairs, the most uncertain (closest to even odds) first."""


@dataclass(frozen=True)
class ClusterMap:
    """The canonical map read once, whole, answering `canonical` and `members_of` as the
    store does: for work over a large share of the store's ids (the search index's
    refresh after a resolve), where looking them up in chunks cost ten times more
    (77k ids, their 27k clusters and their referrers: 2.3 s of CPU against 0.2 s)."""

    heads: Mapping[str, str]  # every merged entity id -> its canonical id
    groups: Mapping[str, list[str]]  # canonical id of a merged cluster -> members, sorted

    @classmethod
    def read(cls, judgements: JudgementStore) -> ClusterMap:
        """The map as `judgements` holds it now."""
        heads = judgements.canonical_map()
        groups: dict[str, list[str]] = {}
        for member, head in heads.items():
            groups.setdefault(head, []).append(member)
        for members in groups.values():
            members.sort()
        return cls(heads, groups)

    def canonical(self, entity_ids: Collection[str]) -> dict[str, str]:
        """As `JudgementStore.canonical`."""
        heads = self.heads
        return {i: heads.get(i, i) for i in entity_ids}

    def members_of(self, canonical_ids: Collection[str]) -> dict[str, list[str]]:
        """As `JudgementStore.members_of`."""
        groups = self.groups
        return {i: list(groups[i]) for i in canonical_ids if i in groups}


def _judgement(row: Any) -> Judgement:
    return Judgement(
        id=row.id,
        left=row.left_id,
        right=row.right_id,
        verdict=Verdict(row.verdict),
        actor=row.actor,
        created_at=row.created_at,
        score=row.score,
        reason=row.reason,
        deleted_at=row.deleted_at,
        deleted_by=row.deleted_by,
    )


def _row(j: Judgement) -> tuple[Any, ...]:
    """A judgement as a row of `judgements_table`, in column order."""
    return (
        j.id,
        j.left,
        j.right,
        j.verdict.value,
        j.actor,
        j.created_at,
        j.score,
        j.reason,
        j.deleted_at,
        j.deleted_by,
    )


_CHUNK = 500
# Above this many ids, a new canonical map reads the old one whole, not in chunks.
_WHOLE_MAP = 20_000


def moved(old: Mapping[str, str], new: Mapping[str, str], keys: Collection[str]) -> set[str]:
    """The ids a new canonical map changes for search: every record whose canonical
    id moved, and its old and new canonical ids (whose merged documents change)."""
    touched: set[str] = set()
    for key in keys:
        before, after = old.get(key, key), new.get(key, key)
        if before != after:
            touched.update((key, before, after))
    return touched


class SQLJudgements(JudgementStore):
    """Judgements in the store's SQL database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    def apply(self, change: JudgementChange) -> None:
        t = judgements_table
        with self.engine.begin() as conn:
            # The generation first: its update takes the write lock before the reads.
            number = changes.next_generation(conn) if change.canonical is not None else None
            for chunk in _chunks(sorted(change.deleted)):
                conn.execute(
                    update(t)
                    .where(t.c.id.in_(chunk), t.c.deleted_at.is_(None))
                    .values(deleted_at=change.deleted_at, deleted_by=change.deleted_by)
                )
            insert_rows(conn, t, [_row(j) for j in change.added])
            if change.canonical is not None and number is not None:
                _write_canonical(conn, number, change.canonical, change.cleared)
            r = review_table
            if change.review is not None:
                conn.execute(delete(r))
                insert_rows(conn, r, [(i.left, i.right, i.weight, i.rule) for i in change.review])
            for left, right in change.unqueued:
                conn.execute(
                    delete(r).where(
                        or_(
                            (r.c.left_id == left) & (r.c.right_id == right),
                            (r.c.left_id == right) & (r.c.right_id == left),
                        )
                    )
                )

    def get(self, judgement_id: str) -> Judgement | None:
        t = judgements_table
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.id == judgement_id)).first()
        return _judgement(row) if row else None

    def touching(self, entity_ids: Collection[str], active: bool = True) -> list[Judgement]:
        t = judgements_table
        found: dict[str, Judgement] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(entity_ids))):
                query = select(t).where(or_(t.c.left_id.in_(chunk), t.c.right_id.in_(chunk)))
                if active:
                    query = query.where(t.c.deleted_at.is_(None))
                for row in conn.execute(query):
                    found[row.id] = _judgement(row)
        return sorted(found.values(), key=lambda j: (j.created_at, j.id))

    def all(self, active: bool = True) -> list[Judgement]:
        t = judgements_table
        query = select(t).order_by(t.c.created_at, t.c.id)
        if active:
            query = query.where(t.c.deleted_at.is_(None))
        with self.engine.connect() as conn:
            return [_judgement(r) for r in conn.execute(query)]

    def canonical(self, entity_ids: Collection[str]) -> dict[str, str]:
        t = canonical_table
        result = {i: i for i in entity_ids}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(entity_ids))):
                for row in conn.execute(select(t).where(t.c.entity_id.in_(chunk))):
                    result[row.entity_id] = row.canonical_id
        return result

    def members(self, canonical_id: str) -> list[str]:
        t = canonical_table
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.c.entity_id).where(t.c.canonical_id == canonical_id))
            found = sorted(r[0] for r in rows)
        return found or [canonical_id]

    def members_of(self, canonical_ids: Collection[str]) -> dict[str, list[str]]:
        t = canonical_table
        found: dict[str, list[str]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(canonical_ids))):
                for row in conn.execute(select(t).where(t.c.canonical_id.in_(chunk))):
                    found.setdefault(row.canonical_id, []).append(row.entity_id)
        return {k: sorted(v) for k, v in found.items()}

    def version(self) -> str:
        t = judgements_table
        query = select(func.count(), func.max(t.c.created_at), func.max(t.c.deleted_at))
        with self.engine.connect() as conn:
            row = conn.execute(query).one()
        return f"{row[0]}:{row[1]}:{row[2]}"

    def canonical_map(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {r[0]: r[1] for r in conn.execute(select(canonical_table))}

    def review(self, limit: int = 50, offset: int = 0) -> list[ReviewItem]:
        t = review_table
        query = (
            select(t)
            .order_by(func.abs(t.c.weight), t.c.left_id, t.c.right_id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            return [
                ReviewItem(r.left_id, r.right_id, r.weight, r.rule) for r in conn.execute(query)
            ]


def _write_canonical(
    conn: Connection, number: int, mapping: Mapping[str, str], cleared: Collection[str]
) -> None:
    """Replace the canonical rows of `cleared` and `mapping`'s keys, and log the ids
    whose canonical id moved under generation `number`."""
    t = canonical_table
    keys = sorted(set(cleared) | set(mapping))
    whole = len(keys) > _WHOLE_MAP
    old: dict[str, str] = {}
    if whole:
        old = {r[0]: r[1] for r in conn.execute(select(t))}
    else:
        for chunk in _chunks(keys):
            query = select(t).where(t.c.entity_id.in_(chunk))
            old.update((r[0], r[1]) for r in conn.execute(query))
    # `old` holds every row of `keys` there is, read in this transaction (which holds
    # the write lock since it took its generation): only those rows need deleting.
    present = [k for k in keys if k in old]
    if whole and len(present) == len(old):
        conn.execute(delete(t))  # every row is replaced
    else:
        for chunk in _chunks(present):
            conn.execute(delete(t).where(t.c.entity_id.in_(chunk)))
    insert_rows(conn, t, list(mapping.items()))
    changes.record(conn, number, moved(old, mapping, keys))


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class MemoryJudgements(JudgementStore):
    """The reference implementation the SQL one is held to."""

    def __init__(self, log: MemoryChanges | None = None) -> None:
        self._changes = log or MemoryChanges()
        self._judgements: dict[str, Judgement] = {}
        self._canonical: dict[str, str] = {}
        self._review: dict[tuple[str, str], ReviewItem] = {}

    def apply(self, change: JudgementChange) -> None:
        taken = [j.id for j in change.added if j.id in self._judgements]
        if taken:
            raise ValueError(f"judgement {taken[0]} exists")
        for i in change.deleted:
            j = self._judgements.get(i)
            if j is not None and j.active:
                self._judgements[i] = replace(
                    j, deleted_at=change.deleted_at, deleted_by=change.deleted_by
                )
        self._judgements.update((j.id, j) for j in change.added)
        if change.canonical is not None:
            mapping = change.canonical
            keys = set(change.cleared) | set(mapping)
            old = {k: self._canonical[k] for k in keys if k in self._canonical}
            for i in change.cleared:
                self._canonical.pop(i, None)
            self._canonical.update(mapping)
            self._changes.bump(moved(old, mapping, keys))
        if change.review is not None:
            self._review = {(i.left, i.right): i for i in change.review}
        for left, right in change.unqueued:
            self._review.pop((left, right), None)
            self._review.pop((right, left), None)

    def get(self, judgement_id: str) -> Judgement | None:
        return self._judgements.get(judgement_id)

    def touching(self, entity_ids: Collection[str], active: bool = True) -> list[Judgement]:
        ids = set(entity_ids)
        return [j for j in self.all(active) if j.left in ids or j.right in ids]

    def all(self, active: bool = True) -> list[Judgement]:
        found = [j for j in self._judgements.values() if j.active or not active]
        return sorted(found, key=lambda j: (j.created_at, j.id))

    def canonical(self, entity_ids: Collection[str]) -> dict[str, str]:
        return {i: self._canonical.get(i, i) for i in entity_ids}

    def members(self, canonical_id: str) -> list[str]:
        return sorted(k for k, v in self._canonical.items() if v == canonical_id) or [canonical_id]

    def members_of(self, canonical_ids: Collection[str]) -> dict[str, list[str]]:
        wanted = set(canonical_ids)
        found: dict[str, list[str]] = {}
        for k, v in self._canonical.items():
            if v in wanted:
                found.setdefault(v, []).append(k)
        return {k: sorted(v) for k, v in found.items()}

    def version(self) -> str:
        deleted = sum(1 for j in self._judgements.values() if not j.active)
        return f"{len(self._judgements)}:{deleted}"

    def canonical_map(self) -> dict[str, str]:
        return dict(self._canonical)

    def review(self, limit: int = 50, offset: int = 0) -> list[ReviewItem]:
        found = sorted(self._review.values(), key=lambda i: (abs(i.weight), i.left, i.right))
        return found[offset : offset + limit]
