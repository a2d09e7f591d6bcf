"""A worker process that splits the records' addresses while this one prepares names.

Preparing records is Python work per distinct value: one-line addresses (address.py)
take the largest share, and their first lookup builds rigour's table of territory names
(seconds of CPU). Both run here in a process of their own, on the machine's other core,
while this process reads the store and prepares names, organisations and dates: a
`prepare.Locate` whose result is asked for last.

The worker is the first process the run's forkserver makes, so it also names the
modules the forkserver imports once for every child (`preload`): the search index's
workers that rebuild documents after the run then start as forks of an interpreter
that has them, rather than each importing threadline and followthemoney again (2.2 s
of CPU a worker, a third of their time at 100k records). The worker's start waits for
those imports, so it is begun in a thread of its own: the caller reads on meanwhile.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pyarrow as pa

from threadline.processes import processes_allowed
from threadline.resolve import address
from threadline.resolve.prepare import locate_here

# Records read before the worker is begun: fewer records' addresses take less time
# than the worker's start (an interpreter, rigour's tables), and tests stay in-process.
MIN_RECORDS = 20_000


class AddressWorker:
    """One worker process for `prepare`'s address columns, begun on demand; without it
    (fewer than two `workers`, a process that may not start any, or not begun) the
    columns are made in this process, as `prepare.locate_here` makes them."""

    def __init__(self, workers: int, preload: Sequence[str] = ()) -> None:
        self.workers = workers
        self.preload = list(preload)
        self._pool: ProcessPoolExecutor | None = None
        self._starting: threading.Thread | None = None
        self._failed = False  # the process did not start: the columns are made here

    @property
    def started(self) -> bool:
        """Whether the worker process was begun (and will take the addresses)."""
        return self._pool is not None

    def begin(self) -> None:
        """Start the process and have it build its tables, if workers are allowed: a
        caller begins it early, so that this overlaps work of its own."""
        if self._pool is not None or self.workers < 2 or not processes_allowed():
            return
        # forkserver, not fork, as ingest.parallel: this process holds threads (DuckDB,
        # the store's reader) that a forked child must not inherit.
        context = multiprocessing.get_context("forkserver")
        if self.preload:
            # Read only when the forkserver starts (a process's first forkserver child):
            # later, a no-op. "__main__" is multiprocessing's own default, kept.
            context.set_forkserver_preload(["__main__", address.__name__, *self.preload])
        pool = self._pool = ProcessPoolExecutor(1, mp_context=context)

        def start() -> None:
            # The first submit starts the process, and waits for the forkserver's imports.
            try:
                pool.submit(address.build_tables)
            except (BrokenProcessPool, OSError, RuntimeError):
                self._failed = True

        self._starting = threading.Thread(target=start, name="address-worker", daemon=True)
        self._starting.start()

    def _started(self) -> bool:
        """Whether the process is up (waiting for its start, if it is under way)."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        return self._pool is not None and not self._failed

    def locate(
        self, street: pa.Array, postcode: pa.Array, city: pa.Array, country: pa.Array
    ) -> Callable[[], Mapping[str, pa.Array]]:
        """`prepare.Locate`: the address columns, made in the worker if it was begun."""
        if self._pool is None or not self._started():
            return locate_here(street, postcode, city, country)
        try:
            future = self._pool.submit(address.address_columns, street, postcode, city, country)
        except BrokenProcessPool:
            return locate_here(street, postcode, city, country)

        def result() -> Mapping[str, pa.Array]:
            try:
                return future.result()
            except BrokenProcessPool:
                # The worker died (killed, out of memory): the columns are made here.
                return address.address_columns(street, postcode, city, country)

        return result

    def close(self) -> None:
        """Stop the worker process, if any (without waiting for it to exit)."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
