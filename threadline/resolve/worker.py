"""A worker process that splits the records' addresses while this one prepares names.

Preparing records is Python work per distinct value: one-line addresses (address.py)
take the largest share, and their first lookup builds rigour's table of territory names
(seconds of CPU). Both run here in a process of their own, on the machine's other core,
while this process reads the store and prepares names, organisations and dates: a
`prepare.Locate` whose result is asked for last.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pyarrow as pa

from threadline.ingest.parallel import processes_allowed
from threadline.resolve import address
from threadline.resolve.prepare import locate_here

# Records read before the worker is begun: fewer records' addresses take less time
# than the worker's start (an interpreter, rigour's tables), and tests stay in-process.
MIN_RECORDS = 20_000


class AddressWorker:
    """One worker process for `prepare`'s address columns, begun on demand; without it
    (fewer than two `workers`, a process that may not start any, or not begun) the
    columns are made in this process, as `prepare.locate_here` makes them."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

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
        self._pool = ProcessPoolExecutor(1, mp_context=context)
        self._pool.submit(address.build_tables)

    def locate(
        self, street: pa.Array, postcode: pa.Array, city: pa.Array, country: pa.Array
    ) -> Callable[[], Mapping[str, pa.Array]]:
        """`prepare.Locate`: the address columns, made in the worker if it was begun."""
        if self._pool is None:
            return locate_here(street, postcode, city, country)
        future = self._pool.submit(address.address_columns, street, postcode, city, country)

        def result() -> Mapping[str, pa.Array]:
            try:
                return future.result()
            except BrokenProcessPool:
                # The worker died (killed, out of memory): the columns are made here.
                return address.address_columns(street, postcode, city, country)

        return result

    def close(self) -> None:
        """Stop the worker process, if any (without waiting for it to exit)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
