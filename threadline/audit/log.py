"""The append-only audit log interface, and the in-memory reference backend.

A backend stores each entry's bytes with its RFC 6962 leaf hash and keeps the compact
tree (`TreeBuilder`) so `head()` is cheap. Entries are never updated or deleted through
this interface; `verify` finds it if they were changed behind its back.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from threadline.audit.event import AuditEvent
from threadline.audit.merkle import TreeBuilder, leaf_hash


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One stored entry: its position, its canonical event bytes and their leaf hash."""

    index: int
    data: bytes
    leaf_hash: bytes

    def event(self) -> AuditEvent:
        """The event these bytes encode."""
        return AuditEvent.from_bytes(self.data)


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
    def entries(self, start: int = 0, end: int | None = None) -> Iterator[LogEntry]:
        """Stored entries with start <= index < end, in index order, exactly as stored.

        From `start=0` a backend returns every stored row, even ones with impossible
        indexes, so a verifier sees what an intruder added.
        """

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
        encoded = [event.to_bytes() for event in events]
        for offset, data in enumerate(encoded):
            entry = LogEntry(start + offset, data, leaf_hash(data))
            self._entries.append(entry)
            self._tree.append(entry.leaf_hash)
        return range(start, len(self._entries))

    def entries(self, start: int = 0, end: int | None = None) -> Iterator[LogEntry]:
        stop = len(self._entries) if end is None else min(end, len(self._entries))
        yield from self._entries[max(start, 0) : max(stop, 0)]

    def size(self) -> int:
        return len(self._entries)

    def head(self) -> TreeHead:
        return TreeHead(self._tree.size, self._tree.root())

    def close(self) -> None:
        """Nothing to release: the entries live as long as the object."""
