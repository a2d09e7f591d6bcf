"""The engine interface: what a resolution run asks of the batch SQL engine.

An engine runs the generated resolution SQL (threadline.resolve.sql) in its dialect over
a table `rec` of prepared records, and keeps the state an incremental run starts from:
the records' fingerprints and the scored pairs. DuckDB is the reference engine; others
must give the same pairs and levels (tests/engines/test_dialects.py).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from threadline.resolve.blocking import BlockingRule
from threadline.resolve.comparisons import Comparison
from threadline.resolve.dialect import Dialect

if TYPE_CHECKING:
    from threadline.engines.duckdb import DuckDBEngine


@dataclass
class PairLevels:
    """Candidate pairs (record row numbers), the rule that found each, and their levels."""

    a: npt.NDArray[np.int64]
    b: npt.NDArray[np.int64]
    rule: npt.NDArray[np.int8]
    levels: npt.NDArray[np.int8]
    agrees: npt.NDArray[np.bool_] | None = None  # pairs x given rules: keys equal
    tf: npt.NDArray[np.floating[Any]] | None = None  # pairs x TF_COLUMNS: shared name's share

    def __len__(self) -> int:
        return len(self.a)


class Engine(Protocol):
    """A batch SQL engine holding the prepared records of one resolution run."""

    dialect: Dialect
    records: int  # how many records `load` loaded

    def load(self, table: pa.Table, new: Sequence[bool] | None = None) -> None:
        """Replace `rec` with `table`; `new` marks the records an incremental run adds."""

    def candidates(
        self,
        rules: Sequence[BlockingRule],
        *,
        link_only: bool = False,
        new_only: bool = False,
        max_block: int = 500,
    ) -> int:
        """Build the table `pairs`; return how many pairs it holds."""

    def levels(
        self,
        comparisons: Sequence[Comparison],
        pairs: str = "pairs",
        rules: Sequence[BlockingRule] = (),
    ) -> PairLevels:
        """Comparison levels of every pair in the table `pairs`, ordered by (a, b)."""

    def sample(
        self, comparisons: Sequence[Comparison], *, samples: int, seed: int, link_only: bool
    ) -> npt.NDArray[np.int8]:
        """Comparison levels of pseudo-random record pairs."""

    def nesting(self, finer: str, coarser: str) -> tuple[int, float]:
        """(records, share): how far `finer` values decide `coarser` ones."""

    def dataset_sizes(self) -> dict[str, list[int]]:
        """How many records each dataset has, per kind of record."""

    def set_pairs(self, a: Sequence[int], b: Sequence[int], name: str = "pairs") -> None:
        """Make the table `name` hold exactly these (a, b) pairs."""

    def known_fingerprints(self) -> dict[str, str]:
        """Fingerprints of the records of the previous run, by id (empty: no run yet)."""

    def rids(self, ids: Collection[str]) -> dict[str, int]:
        """Row numbers of these record ids in `rec` (ids not loaded are left out)."""

    def merge_pairs(self, levels: PairLevels, incremental: bool) -> PairLevels:
        """Keep this run's scored pairs (replacing, or adding to, the previous run's) and
        return every current pair with its levels and name shares, ordered by (a, b)."""

    def trainer(self) -> DuckDBEngine:
        """The engine the model is trained on (threadline.resolve.batch.train): nesting,
        dataset sizes and a random sample of at most 500,000 pairs, drawn with DuckDB's
        `hash` so every engine trains on the same pairs."""

    def close(self) -> None:
        """Release the engine (connections, sessions, scratch files)."""
