"""Reading ahead in a thread: the same items in order, errors where they happened, and a
source closed when its caller stops early."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from threadline.resolve.readahead import read_ahead


def test_same_items_in_order() -> None:
    assert list(read_ahead(iter(range(1_000)), depth=3)) == list(range(1_000))


def test_an_error_is_raised_where_it_happened() -> None:
    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("the store went away")

    found = []
    with pytest.raises(ValueError, match="the store went away"):
        for item in read_ahead(failing()):
            found.append(item)
    assert found == [1, 2]


def test_stopping_early_closes_the_source_in_its_thread() -> None:
    closed: list[str] = []

    def source() -> Iterator[int]:
        try:
            yield from range(1_000_000)
        finally:
            closed.append(threading.current_thread().name)

    items = read_ahead(source())
    assert next(items) == 0
    items.close()
    assert closed == ["threadline-read-ahead"]
    assert not any(t.name == "threadline-read-ahead" for t in threading.enumerate())
