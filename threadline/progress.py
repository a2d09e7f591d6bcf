"""A progress sink: long work reports through it, and the CLI draws it with Rich.

Work that counts one unit on its bar (files) may count others alongside (pages), for
a sink that shows them (`Counting`): `count` asks once per call, so a batch of work
costs one call whatever it holds, and sinks that show only the bar pay nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable


class Progress(Protocol):
    """Receives progress of one task at a time."""

    def begin(self, label: str, total: int | None, unit: str) -> None:
        """A task starts; `total` is in `unit`s (bytes, entities), None if unknown."""

    def advance(self, amount: int) -> None:
        """`amount` more units are done."""

    def end(self) -> None:
        """The task is finished."""


@runtime_checkable
class Counting(Protocol):
    """A sink that shows other units of the current task beside its bar."""

    def count(self, unit: str, amount: int) -> None:
        """`amount` more of `unit` (pages, say, while the bar counts files) are done."""


def count(progress: Progress, unit: str, amount: int) -> None:
    """Count `amount` of a second unit on a sink that shows it; others drop it."""
    if amount and isinstance(progress, Counting):
        progress.count(unit, amount)


class Rates:
    """Units done per second since the task began, as a line: "3 files/s · 41 pages/s"."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = clock()
        self._done: dict[str, int] = {}

    def add(self, unit: str, amount: int) -> None:
        """`amount` more of `unit` are done."""
        self._done[unit] = self._done.get(unit, 0) + amount

    def done(self, unit: str) -> int:
        """How many of `unit` are done."""
        return self._done.get(unit, 0)

    def text(self) -> str:
        """Each unit's rate, in the order first counted; empty before a second passed
        (a rate over less says little)."""
        seconds = self._clock() - self._started
        if seconds < 1:
            return ""
        return " · ".join(f"{n / seconds:,.0f} {unit}/s" for unit, n in self._done.items())


class NoProgress:
    """Drops progress; the default for library callers."""

    def begin(self, label: str, total: int | None, unit: str) -> None:
        return None

    def advance(self, amount: int) -> None:
        return None

    def end(self) -> None:
        return None
