"""The DuckDB engine: runs the generated resolution SQL over prepared records.

DuckDB is embedded, so a laptop run needs no server. Records are loaded from Arrow; the
candidate pairs and their comparison levels come back as NumPy arrays. It is the reference
engine (threadline.engines.base.Engine) and keeps the state between runs in its file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TypeVar

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from threadline.engines import duckdb_state
from threadline.engines.base import PairLevels
from threadline.resolve.blocking import BlockingRule
from threadline.resolve.comparisons import Comparison
from threadline.resolve.dialect import DUCKDB
from threadline.resolve.prepare import COLUMNS
from threadline.resolve.sql import (
    DATASET_SIZES_SQL,
    TF_COLUMNS,
    candidates_sql,
    gammas_sql,
    nesting_sql,
    sample_sql,
    sizes_by_kind,
)

PREPARED = [c for c in COLUMNS if c not in ("rid", "id")]
__all__ = ["PREPARED", "DuckDBEngine", "PairLevels"]
_BATCH = 250_000
# Left records per slice of the scoring (`levels`): their columns, about 100 MB at
# 125,000 records, stay well inside the default memory limit.
_SLICE_RECORDS = 125_000


log = logging.getLogger(__name__)
T = TypeVar("T")


def _machine_mb() -> int:
    """The machine's physical memory in MB."""
    return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1 << 20))


class DuckDBEngine:
    """One DuckDB connection holding the table `rec` of prepared records."""

    dialect = DUCKDB

    def __init__(
        self, path: Path | None = None, threads: int | None = None, memory_mb: int = 640
    ) -> None:
        self.conn = duckdb.connect(str(path) if path else ":memory:")
        if threads:
            self.conn.execute(f"SET threads = {int(threads)}")
        # DuckDB would take up to 80% of the machine's memory; above this it spills.
        self.memory_mb = int(memory_mb)
        self.conn.execute(f"SET memory_limit = '{self.memory_mb}MB'")
        self.conn.execute("SET preserve_insertion_order = false")
        self.records = 0
        self._view: pa.Table | None = None

    def _roomier(self, error: duckdb.OutOfMemoryException) -> None:
        """Double the memory limit after `error`, up to half the machine's memory (then
        re-raise it). Not every operator spills: on PatentsView one blocking rule's
        join stopped at the default limit, which most data never comes near."""
        ceiling = _machine_mb() // 2
        if self.memory_mb >= ceiling:
            raise error
        self.memory_mb = min(self.memory_mb * 2, ceiling)
        log.warning("DuckDB ran out of memory; retrying with %d MB", self.memory_mb)
        self.conn.execute(f"SET memory_limit = '{self.memory_mb}MB'")

    def _roomy(self, call: Callable[[], T]) -> T:
        """`call()`, called again with more memory each time it runs out (`_roomier`)."""
        while True:
            try:
                return call()
            except duckdb.OutOfMemoryException as error:
                self._roomier(error)

    def _execute(self, sql: str) -> duckdb.DuckDBPyConnection:
        """Run one statement, with more memory if it runs out."""
        return self._roomy(lambda: self.conn.execute(sql))

    def close(self) -> None:
        """Release the connection."""
        self.conn.close()

    def load(
        self, table: pa.Table, new: Sequence[bool] | None = None, *, keep: bool = True
    ) -> None:
        """Replace `rec` with `table`; `new` marks the records an incremental run adds.

        With `keep`, the records are copied into the database (which may be a file kept
        for incremental runs); without, `rec` is a view of the Arrow table, read in
        place, so a one-off run holds the records once.
        """
        flags = pa.array(new if new is not None else [True] * table.num_rows, type=pa.bool_())
        staged = table.append_column("new", flags)
        if keep:
            self.conn.register("staged_records", staged)
            self.conn.execute("CREATE OR REPLACE TABLE rec AS SELECT * FROM staged_records")
            self.conn.unregister("staged_records")
        else:
            self._view = staged  # DuckDB reads it in place; keep it alive
            self.conn.register("rec", staged)
        self.records = table.num_rows

    def candidates(
        self,
        rules: Sequence[BlockingRule],
        *,
        link_only: bool = False,
        new_only: bool = False,
        max_block: int = 500,
    ) -> int:
        """Build the table `pairs`; return how many pairs it holds."""
        for sql in candidates_sql(
            rules, link_only=link_only, new_only=new_only, max_block=max_block
        ):
            self._execute(sql)
        return int(self.conn.execute("SELECT count(*) FROM pairs").fetchall()[0][0])

    def levels(
        self,
        comparisons: Sequence[Comparison],
        pairs: str = "pairs",
        rules: Sequence[BlockingRule] = (),
    ) -> PairLevels:
        """Comparison levels of every pair in the table `pairs`, and whether each pair
        agrees on each of `rules`' keys."""
        # After running out, the levels are read again from the start.
        return self._roomy(lambda: self._levels(comparisons, pairs, rules))

    def _levels(
        self, comparisons: Sequence[Comparison], pairs: str, rules: Sequence[BlockingRule]
    ) -> PairLevels:
        total, low, high = self.conn.execute(
            f"SELECT count(*), min(a), max(a) FROM {pairs}"
        ).fetchall()[0]
        total = int(total)
        a = np.empty(total, dtype=np.int64)
        b = np.empty(total, dtype=np.int64)
        rule = np.empty(total, dtype=np.int8)
        levels = np.empty((total, len(comparisons)), dtype=np.int8)
        agrees = np.empty((total, len(rules)), dtype=np.bool_) if rules else None
        tf = np.full((total, len(TF_COLUMNS)), np.nan, dtype=np.float32)
        has_tf = all(f"{c}_tf" in PREPARED for c in TF_COLUMNS)
        at = 0
        # In slices of pairs by their left record: each slice's join with `rec` holds
        # only the slice's left records, where one join of all pairs held every record's
        # columns, outgrew the memory limit and spilled the pairs' wide rows to disk
        # (4.6 GB at a million records; most of the scoring's time).
        for start in range(int(low or 0), int(high or 0) + 1, _SLICE_RECORDS):
            self.conn.execute(
                f"CREATE OR REPLACE TEMPORARY TABLE pairs_slice AS SELECT * FROM {pairs}"
                f" WHERE a >= {start} AND a < {start + _SLICE_RECORDS}"
            )
            sql = gammas_sql(comparisons, self.dialect, "pairs_slice", rules, PREPARED)
            # Streamed in batches: a million-record run has millions of pairs, and
            # holding the whole result twice (DuckDB's and NumPy's) would double the
            # peak memory.
            reader: pa.RecordBatchReader = self.conn.sql(sql).to_arrow_reader(_BATCH)
            for batch in reader:
                size = batch.num_rows
                part = slice(at, at + size)
                column = batch.column
                a[part] = column("a").to_numpy()
                b[part] = column("b").to_numpy()
                rule[part] = column("rule").to_numpy()
                for n, c in enumerate(comparisons):
                    levels[part, n] = column(c.name).to_numpy()
                if agrees is not None:
                    for n in range(len(rules)):
                        agrees[part, n] = column(f"r{n}").to_numpy(zero_copy_only=False)
                if has_tf:
                    for n, name in enumerate(TF_COLUMNS):
                        tf[part, n] = column(f"tf_{name}").to_numpy(zero_copy_only=False)
                at += size
            del reader
        self.conn.execute("DROP TABLE IF EXISTS pairs_slice")
        pa.default_memory_pool().release_unused()  # the batches' memory, back to the system
        return PairLevels(
            tf=tf if has_tf else None,
            agrees=agrees,
            a=a[:at],
            b=b[:at],
            rule=rule[:at],
            levels=levels[:at],
        )

    def sample(
        self, comparisons: Sequence[Comparison], *, samples: int, seed: int, link_only: bool
    ) -> npt.NDArray[np.int8]:
        """Comparison levels of pseudo-random record pairs."""
        if self.records < 2:
            return np.zeros((0, len(comparisons)), dtype=np.int8)
        sql = sample_sql(
            comparisons,
            self.dialect,
            records=self.records,
            samples=samples,
            seed=seed,
            link_only=link_only,
        )
        result = self._execute(sql).fetchnumpy()
        keep = np.asarray(result["keep"], dtype=bool)
        columns = [np.asarray(result[c.name], dtype=np.int8)[keep] for c in comparisons]
        return np.stack(columns, axis=1)

    def nesting(self, finer: str, coarser: str) -> tuple[int, float]:
        """(records, share): how far `finer` values decide `coarser` ones (sql.nesting_sql)."""
        records, share = self.conn.execute(nesting_sql(finer, coarser)).fetchall()[0]
        return int(records), float(share)

    def dataset_sizes(self) -> dict[str, list[int]]:
        """How many records each dataset has, per kind of record."""
        return sizes_by_kind(self.conn.execute(DATASET_SIZES_SQL).fetchall())

    def set_pairs(self, a: Sequence[int], b: Sequence[int], name: str = "pairs") -> None:
        """Make the table `name` hold exactly these (a, b) pairs."""
        table = pa.table(
            {
                "a": pa.array(a, pa.int32()),
                "b": pa.array(b, pa.int32()),
                "rule": pa.array([-1] * len(a), pa.int8()),
            }
        )
        self.conn.register("given_pairs", table)
        self.conn.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM given_pairs")
        self.conn.unregister("given_pairs")

    def known_fingerprints(self) -> dict[str, str]:
        """Fingerprints of the records of the previous run, by id."""
        return duckdb_state.known_fingerprints(self.conn)

    def rids(self, ids: Collection[str]) -> dict[str, int]:
        """Row numbers of these record ids in `rec`."""
        return duckdb_state.rids(self.conn, ids)

    def merge_pairs(self, levels: PairLevels, incremental: bool) -> PairLevels:
        """Keep this run's scored pairs and return every current pair (duckdb_state)."""
        return duckdb_state.merge_pairs(self.conn, levels, incremental)

    def trainer(self) -> DuckDBEngine:
        """This engine: it trains on its own records."""
        return self
