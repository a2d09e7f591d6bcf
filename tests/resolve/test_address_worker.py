"""Addresses split in a worker process give the columns this process would make."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa

from threadline.resolve.address import address_columns
from threadline.resolve.worker import AddressWorker

ADDRESSES = ["Hauptstr. 5, 10115 Berlin", "12 High Street, London SW1A 1AA", None,
             "3 Elm Rd, Springfield, IL", "Hamburg", "Via Roma 1, Milano, MI"]  # fmt: skip


def _columns() -> list[pa.Array]:
    n = len(ADDRESSES)
    return [pa.array(ADDRESSES, pa.string()), pa.nulls(n, pa.string()),
            pa.array([None, None, None, None, None, "Milano"], pa.string()),
            pa.array(["de", None, "us", "us", None, "it"], pa.string())]  # fmt: skip


def test_the_worker_makes_the_same_columns() -> None:
    worker = AddressWorker(2)
    try:
        worker.begin()
        assert worker.started
        found = worker.locate(*_columns())()
    finally:
        worker.close()
    expected = address_columns(*_columns())
    assert found.keys() == expected.keys()
    for name, column in expected.items():
        assert found[name].equals(column), name


def test_one_worker_keeps_to_this_process() -> None:
    worker = AddressWorker(1)
    worker.begin()
    assert not worker.started
    found = worker.locate(*_columns())()
    assert found["house"].to_pylist() == address_columns(*_columns())["house"].to_pylist()


# Run in an interpreter of its own: a process has one forkserver, and the preload is
# read only when it starts (pytest's may already run one, begun by another test).
PRELOAD_SCRIPT = """
import multiprocessing, sys
from concurrent.futures import ProcessPoolExecutor
from threadline.resolve.worker import AddressWorker

if __name__ == "__main__":
    worker = AddressWorker(2, ["tests.resolve.preloaded"])
    worker.begin()
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        from tests.resolve.preloaded import loaded_before
        print(pool.submit(loaded_before).result())
    worker.close()
"""


def test_the_worker_has_the_forkserver_preload_what_later_workers_need() -> None:
    root = Path(__file__).parents[2]
    found = subprocess.run(
        [sys.executable, "-c", PRELOAD_SCRIPT],
        cwd=root,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(root), *sys.path])},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # A child forked from the forkserver had the module before unpickling the call.
    assert found.stdout.strip() == "True", found.stderr
