"""A progress sink: long work reports through it, and the CLI draws it with Rich."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress of one task at a time."""

    def begin(self, label: str, total: int | None, unit: str) -> None:
        """A task starts; `total` is in `unit`s (bytes, entities), None if unknown."""

    def advance(self, amount: int) -> None:
        """`amount` more units are done."""

    def end(self) -> None:
        """The task is finished."""


class NoProgress:
    """Drops progress; the default for library callers."""

    def begin(self, label: str, total: int | None, unit: str) -> None:
        return None

    def advance(self, amount: int) -> None:
        return None

    def end(self) -> None:
        return None
