"""Ordered work in a process pool: results come back in the order the inputs went in.

Used where Python-level work per record dominates (converting records on ingest,
building search documents), so a second core pays off.
"""

from __future__ import annotations

import ast
import functools
import multiprocessing
import os
import sys
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_IN_WORKER = False  # set in the worker processes `ordered_map` starts


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


def processes_allowed() -> bool:
    """Whether worker processes can start here without running the caller's script again.

    forkserver children import the main script, as spawn does. A script whose top level
    calls threadline without an `if __name__ == "__main__":` guard would run again in
    every worker (and fail there), so it gets one process and a warning instead.
    """
    if _IN_WORKER or multiprocessing.current_process().daemon:
        # One of our workers never starts a pool of its own, and a daemon process may
        # not have children. Any other child process may: a benchmark harness or a
        # task runner that starts threadline in a process of its own.
        return False
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or getattr(main, "__spec__", None) is not None:
        return True  # interactive, `python -c`, or `python -m`: nothing is re-run
    if _guarded(str(path)):
        return True
    warnings.warn(
        f"{path} has no `if __name__ == '__main__':` guard, so threadline works in one "
        "process; put the calls under that guard to use worker processes",
        RuntimeWarning,
        stacklevel=3,
    )
    return False


@functools.cache
def _guarded(path: str) -> bool:
    """True if the script's top level has an `if __name__ == "__main__":` block."""
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return False
    for node in tree.body:
        test = node.test if isinstance(node, ast.If) else None
        if (
            isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Name)
            and test.left.id == "__name__"
            and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
        ):
            return True
    return False


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """Worker set-up: exit when the parent dies, then run the caller's initializer.

    A worker holds both ends of its task queue, so it would never see end-of-file after
    its parent is killed; it watches the parent's sentinel instead.
    """
    global _IN_WORKER
    _IN_WORKER = True
    parent = multiprocessing.parent_process()
    if parent is not None:
        sentinel = parent.sentinel
        threading.Thread(target=_exit_with, args=(sentinel,), daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _exit_with(sentinel: int) -> None:
    wait([sentinel])
    os._exit(1)
