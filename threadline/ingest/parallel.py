"""Ordered work in a process pool: results come back in the order the inputs went in.

Used where Python-level work per record dominates (converting records on ingest,
building search documents), so a second core pays off.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import wait
from typing import Any, TypeVar

from threadline import processes
from threadline.processes import processes_allowed

T = TypeVar("T")
R = TypeVar("R")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ordered_map(
    func: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """`map(func, items)` over `workers` processes, in order, with bounded work in flight.

    With one worker it runs in this process (after calling the initializer here).
    `func` and `initializer` must be importable module-level functions.
    """
    if workers > 1 and not processes_allowed():
        workers = 1
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(func, items)
        return
    # forkserver, not fork: the parent may hold threads (tantivy, SQLite) that a forked
    # child must not inherit. ProcessPoolExecutor, not Pool: when a worker dies, it
    # raises BrokenProcessPool instead of waiting forever.
    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(initializer, initargs)
    )
    try:
        pending: deque[Future[R]] = deque()
        for item in items:
            pending.append(pool.submit(func, item))
            if len(pending) >= workers * 3:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """Worker set-up: exit when the parent dies, then run the caller's initializer.

    A worker holds both ends of its task queue, so it would never see end-of-file after
    its parent is killed; it watches the parent's sentinel instead.
    """
    processes.mark_worker()
    parent = multiprocessing.parent_process()
    if parent is not None:
        sentinel = parent.sentinel
        threading.Thread(target=_exit_with, args=(sentinel,), daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _exit_with(sentinel: int) -> None:
    wait([sentinel])
    os._exit(1)
