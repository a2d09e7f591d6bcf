"""Reading ahead: the next items of an iterator made in a thread while the caller works.

Resolution reads the store in batches (SQLite's `fetchmany`, then Arrow) and groups each
batch into records in DuckDB. Both release the GIL for much of their work, so the next
batch can be fetched while the last one is grouped, on the machine's other core.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()  # the producer's last item: the iterator is exhausted


class _Failed:
    """The producer's error, handed to the consumer to raise."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """`items`, each made in a worker thread up to `depth` items ahead of the caller.

    Errors are raised in the caller, where the item would have been. A caller that stops
    early (or fails) stops the thread, which then closes `items` in its own thread (a
    generator holding a database cursor closes it where it was opened)."""
    found: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                found.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        source = iter(items)
        try:
            for item in source:
                if not put(item):
                    break
            else:
                put(_DONE)
        except BaseException as error:  # handed to the consumer, which raises it
            put(_Failed(error))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name="threadline-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item = found.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]  # every other item is one of `items`
    finally:
        stop.set()
        worker.join()
