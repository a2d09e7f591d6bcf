"""The Spark engine: the generated resolution SQL in Spark's dialect, through pyspark.

Spark finds the candidate pairs and computes their comparison levels, the work that
grows with the data. What stays small or must stay put is DuckDB's, in the same state
file a DuckDB run keeps (engines/duckdb_state.py): the records' fingerprints and the
scored pairs, so incremental runs and `explain` read the same state whichever engine
ran; and training (threadline.resolve.batch.train: nesting, dataset sizes and at most
500,000 random pairs drawn with DuckDB's `hash`), so both engines train on the same
pairs. The only module that imports pyspark.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Collection, Sequence
from itertools import count
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import DoubleType, LongType

from threadline.engines import similarity
from threadline.engines.base import PairLevels
from threadline.engines.duckdb import PREPARED, DuckDBEngine
from threadline.engines.spark_sql import parse, spark_query
from threadline.resolve.blocking import BlockingRule
from threadline.resolve.comparisons import Comparison
from threadline.resolve.dialect import SPARK
from threadline.resolve.sql import (
    DATASET_SIZES_SQL,
    TF_COLUMNS,
    candidates_sql,
    gammas_sql,
    nesting_sql,
    sizes_by_kind,
)


def session_config(folder: Path, memory: str = "2g", partitions: int = 4) -> dict[str, str]:
    """Settings of a local Spark session whose scratch files stay under `folder`."""
    return {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.log.level": "ERROR",
        "spark.driver.host": "127.0.0.1",  # no network beyond loopback
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.local.dir": str(folder / "tmp"),
        "spark.sql.warehouse.dir": str(folder / "warehouse"),
        "spark.driver.memory": memory,
        "spark.sql.shuffle.partitions": str(partitions),
        "spark.sql.session.timeZone": "UTC",
        # Python workers run the similarity functions: the same interpreter as ours.
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
    }


def start_session(folder: Path, master: str = "local[2]", memory: str = "2g") -> SparkSession:
    """A local Spark session with its scratch files under `folder`."""
    builder = SparkSession.builder.master(master).appName("threadline-resolve")
    for key, value in session_config(folder, memory).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    """Resolution SQL on Spark; the state between runs in a DuckDB file (or memory).

    A session already running in this thread (a notebook's, a test module's) is used
    and left running; otherwise the engine starts one in local mode and stops it at
    `close`.
    """

    dialect = SPARK

    def __init__(
        self, folder: Path, state: Path | None = None, *, master: str = "local[2]"
    ) -> None:
        self.folder = folder
        self.state = DuckDBEngine(state)
        self.records = 0
        self._versions = count()
        self._tables: dict[str, Path] = {}
        self._lazy: dict[str, DataFrame] = {}
        active = SparkSession.getActiveSession()
        self._owned = active is None
        self.session = active or start_session(folder, master)
        udf = self.session.udf
        udf.register("jaro_winkler_udf", similarity.jaro_winkler, DoubleType())
        udf.register("damerau_levenshtein_udf", similarity.damerau_levenshtein, LongType())

    # Tables: Parquet files in the work folder, each read back as a temporary view ----

    def _path(self, name: str) -> Path:
        return self.folder / "tables" / f"{name}-{next(self._versions)}"

    def _show(self, name: str, path: Path) -> None:
        self._tables[name] = path
        self.session.read.parquet(str(path)).createOrReplaceTempView(name)

    def _put(self, name: str, table: pa.Table) -> None:
        """Make the view `name` hold this Arrow table."""
        path = self._path(name)
        path.mkdir(parents=True)
        pq.write_table(table, path / "part-0.parquet")
        self._show(name, path)

    def _create(self, name: str, frame: DataFrame, temporary: bool) -> None:
        """A table of the query's rows. A temporary one (a scratch table the next
        statements fill and read once) stays a lazy view: a Spark job per statement
        costs seconds, and the plan of the table that reads it does the work once."""
        self._drop(name)
        if temporary:
            self._lazy[name] = frame
            frame.createOrReplaceTempView(name)
            return
        path = self._path(name)
        frame.write.parquet(str(path))
        self._show(name, path)

    def _insert(self, name: str, frame: DataFrame) -> None:
        if name in self._lazy:
            self._lazy[name] = self._lazy[name].unionByName(frame)
            self._lazy[name].createOrReplaceTempView(name)
            return
        path = self._tables[name]
        frame.write.mode("append").parquet(str(path))
        self._show(name, path)  # read again: the view lists the files it was made with

    def _drop(self, name: str) -> None:
        self.session.catalog.dropTempView(name)
        self._lazy.pop(name, None)
        path = self._tables.pop(name, None)
        if path is not None:
            shutil.rmtree(path, ignore_errors=True)

    def execute(self, sql: str) -> None:
        """Run one generated statement (see spark_sql.parse)."""
        statement = parse(sql)
        if statement.action == "drop" and statement.table:
            self._drop(statement.table)
        elif statement.action == "create" and statement.table:
            frame = self.session.sql(statement.query)
            self._create(statement.table, frame, statement.temporary)
        elif statement.action == "insert" and statement.table:
            self._insert(statement.table, self.session.sql(statement.query))
        else:
            self.session.sql(statement.query).collect()

    # The Engine interface ------------------------------------------------------------

    def load(self, table: pa.Table, new: Sequence[bool] | None = None) -> None:
        """Replace `rec` with `table`, in Spark and in the state file."""
        self.state.load(table, new)
        flags = pa.array(new if new is not None else [True] * table.num_rows, type=pa.bool_())
        self._drop("rec")
        self._put("rec", table.append_column("new", flags))
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
            self.execute(sql)
        return int(self.session.table("pairs").count())

    def levels(
        self,
        comparisons: Sequence[Comparison],
        pairs: str = "pairs",
        rules: Sequence[BlockingRule] = (),
    ) -> PairLevels:
        """Comparison levels of every pair in the table `pairs`, ordered by (a, b)."""
        sql = gammas_sql(comparisons, self.dialect, pairs, rules, PREPARED)
        found: pa.Table = self.session.sql(spark_query(sql)).toArrow()
        return _pair_levels(found, comparisons, len(rules))

    def sample(
        self, comparisons: Sequence[Comparison], *, samples: int, seed: int, link_only: bool
    ) -> npt.NDArray[np.int8]:
        """Comparison levels of pseudo-random pairs, from the state's copy of the records:
        sql.sample_sql draws them with DuckDB's `hash`, which Spark's differs from."""
        return self.state.sample(comparisons, samples=samples, seed=seed, link_only=link_only)

    def nesting(self, finer: str, coarser: str) -> tuple[int, float]:
        """(records, share): how far `finer` values decide `coarser` ones."""
        records, share = self.session.sql(nesting_sql(finer, coarser)).collect()[0]
        return int(records), float(share)

    def dataset_sizes(self) -> dict[str, list[int]]:
        """How many records each dataset has, per kind of record."""
        return sizes_by_kind(self.session.sql(DATASET_SIZES_SQL).collect())

    def set_pairs(self, a: Sequence[int], b: Sequence[int], name: str = "pairs") -> None:
        """Make the table `name` hold exactly these (a, b) pairs."""
        self._drop(name)
        table = pa.table(
            {
                "a": pa.array(a, pa.int32()),
                "b": pa.array(b, pa.int32()),
                "rule": pa.array([-1] * len(a), pa.int8()),
            }
        )
        self._put(name, table)

    def known_fingerprints(self) -> dict[str, str]:
        """Fingerprints of the records of the previous run (from the state file)."""
        return self.state.known_fingerprints()

    def rids(self, ids: Collection[str]) -> dict[str, int]:
        """Row numbers of these record ids (from the state file)."""
        return self.state.rids(ids)

    def merge_pairs(self, levels: PairLevels, incremental: bool) -> PairLevels:
        """Keep this run's scored pairs in the state file; every current pair."""
        return self.state.merge_pairs(levels, incremental)

    def trainer(self) -> DuckDBEngine:
        """The state file's DuckDB engine, which holds the same records (see above)."""
        return self.state

    def close(self) -> None:
        """Drop the views and their files, stop a session the engine started, and
        release the state file."""
        try:
            for name in list(self._tables):
                self._drop(name)
            if self._owned:
                self.session.stop()
        finally:
            self.state.close()
            shutil.rmtree(self.folder / "tables", ignore_errors=True)


def _pair_levels(found: pa.Table, comparisons: Sequence[Comparison], rules: int) -> PairLevels:
    """Collected level rows (sql.gammas_sql's columns) as NumPy arrays."""
    total = found.num_rows

    def column(name: str) -> npt.NDArray[np.generic]:
        return np.asarray(found.column(name).to_numpy(zero_copy_only=False))

    levels = np.zeros((total, len(comparisons)), dtype=np.int8)
    for n, c in enumerate(comparisons):
        levels[:, n] = column(c.name)
    agrees = None
    if rules:
        agrees = np.stack([column(f"r{n}").astype(np.bool_) for n in range(rules)], axis=1)
    tf = None
    if all(f"{c}_tf" in PREPARED for c in TF_COLUMNS):
        tf = np.full((total, len(TF_COLUMNS)), np.nan, dtype=np.float32)
        for n, name in enumerate(TF_COLUMNS):
            tf[:, n] = column(f"tf_{name}")
    return PairLevels(
        a=column("a").astype(np.int64),
        b=column("b").astype(np.int64),
        rule=column("rule").astype(np.int8),
        levels=levels,
        agrees=agrees,
        tf=tf,
    )
