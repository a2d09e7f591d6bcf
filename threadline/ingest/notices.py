"""Notices: what a converter dropped from a record it kept, reported beside the errors.

followthemoney discards a value it cannot clean (a country code "JPX", a date that is
not one). A record of FtM JSON lines keeps its other values; the discarded one is a
notice with its line, so nothing vanishes unsaid. The worker collects them per record
through `collecting`; converters call `notice` without knowing who listens.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

Notice = tuple[int | None, str]  # line (or row), message

_LOCAL = threading.local()


@contextmanager
def collecting(into: list[Notice]) -> Iterator[None]:
    """Collect the notices given in this thread into `into`, until the block ends."""
    previous = getattr(_LOCAL, "sink", None)
    _LOCAL.sink = into
    try:
        yield
    finally:
        _LOCAL.sink = previous


def notice(line: int | None, message: str) -> None:
    """Report something dropped from a kept record (nothing happens if no one collects)."""
    sink: list[Notice] | None = getattr(_LOCAL, "sink", None)
    if sink is not None:
        sink.append((line, message))
