"""The append-only audit log interface, and the in-memory reference backend.

A backend stores each entry's sealed frame (`threadline.audit.seal`) with its RFC 6962
leaf hash, and the frame's erasable values apart, and keeps the compact tree
(`TreeBuilder`) so `head()` is cheap. Entries are never updated or deleted through this
interface; only `erase` deletes values, which leaves every leaf verifiable. `verify`
finds it if anything else was changed behind the log's back.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace

from threadline.audit.event import AuditEvent
from threadline.audit.merkle import TreeBuilder
from threadline.audit.query import AuditQuery
from threadline.audit.seal import SealedValue, Values, entry_leaf_hash, erases, folded, seal, unseal


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One stored entry: its position, its frame, the stored leaf hash and the values
    not erased."""

    index: int
    data: bytes
    leaf_hash: bytes
    values: Values = field(default_factory=dict)

    def event(self) -> AuditEvent:
        """The event these bytes and values encode (erased values read `(erased)`)."""
        return unseal(self.data, self.values)

    def computed_leaf_hash(self) -> bytes:
        """The leaf hash this entry's data and values give, to compare with the stored one."""
        return entry_leaf_hash(self.data, self.values)


@dataclass(frozen=True, slots=True)
class TreeHead:
    """The size of the log and the Merkle root of its entries."""

    size: int
    root: bytes


class AuditLog(ABC):
    """An append-only sequence of audit events, each durable before its append returns."""

    def append(self, event: AuditEvent) -> int:
        """Write one event; return its index. Raises `AuditWriteError` if not written."""
        return self.extend([event]).start

    @abstractmethod
    def extend(self, events: Sequence[AuditEvent]) -> range:
        """Write events in one transaction, all or none; return their indexes."""

    @abstractmethod
    def erase(self, ids: Collection[str], needles: Collection[str]) -> int:
        """Delete, from every entry, object ids equal to one of `ids` and free-text
        values containing one of `needles` (case-folded), each with its salt, so that
        none is left in the backend's files; returns how many values went."""

    @abstractmethod
    def entries(self, start: int = 0, end: int | None = None) -> Iterator[LogEntry]:
        """Stored entries with start <= index < end, in index order, exactly as stored.

        From `start=0` a backend returns every stored row, even ones with impossible
        indexes, so a verifier sees what an intruder added.
        """

    def select(
        self,
        query: AuditQuery,
        *,
        before: int | None = None,
        after: int | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> Iterator[LogEntry]:
        """Entries answering `query` with `after` < index < `before`, newest first (or
        oldest first), at most `limit`. This reads every entry: a backend that can ask
        its database instead does (`SQLAuditLog`)."""
        found = [
            entry
            for entry in self.entries(0 if after is None else after + 1, before)
            if query.matches(entry.event())
        ]
        if newest_first:
            found.reverse()
        yield from found[:limit]

    def count(self, query: AuditQuery, *, before: int | None = None) -> int:
        """How many entries below index `before` answer `query`."""
        return sum(1 for _ in self.select(query, before=before))

    @abstractmethod
    def size(self) -> int:
        """How many entries the log holds."""

    @abstractmethod
    def head(self) -> TreeHead:
        """The current tree head."""

    @abstractmethod
    def close(self) -> None:
        """Release the backend's resources."""

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class MemoryAuditLog(AuditLog):
    """A list in memory: for tests and for runs that need no record."""

    def __init__(self) -> None:
        self._entries: list[LogEntry] = []
        self._tree = TreeBuilder()

    def extend(self, events: Sequence[AuditEvent]) -> range:
        start = len(self._entries)
        # Serialise everything first, so a bad event leaves the log untouched.
        sealed = [seal(event) for event in events]
        for offset, item in enumerate(sealed):
            entry = LogEntry(start + offset, item.frame, item.leaf, item.values)
            self._entries.append(entry)
            self._tree.append(entry.leaf_hash)
        return range(start, len(self._entries))

    def erase(self, ids: Collection[str], needles: Collection[str]) -> int:
        erased, needles = 0, folded(needles)
        for position, entry in enumerate(self._entries):
            kept: dict[str, SealedValue] = {
                slot: v
                for slot, v in entry.values.items()
                if not erases(slot, v.value, ids, needles)
            }
            if len(kept) != len(entry.values):
                erased += len(entry.values) - len(kept)
                self._entries[position] = replace(entry, values=kept)
        return erased

    def entries(self, start: int = 0, end: int | None = None) -> Iterator[LogEntry]:
        stop = len(self._entries) if end is None else min(end, len(self._entries))
        yield from self._entries[max(start, 0) : max(stop, 0)]

    def size(self) -> int:
        return len(self._entries)

    def head(self) -> TreeHead:
        return TreeHead(self._tree.size, self._tree.root())

    def close(self) -> None:
        """Nothing to release: the entries live as long as the object."""
