"""Statements as Arrow tables: the bulk read of whole-store work such as resolution.

Any store's `iter_batches` (the SQL backends read the driver's own `fetchmany` batches,
with no per-row objects of ours) becomes columns here, batch by batch, so grouping and
aggregating by entity can happen in Arrow or DuckDB rather than in Python loops.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

import numpy as np
import pyarrow as pa

from threadline.store.base import LightRow, Store

# The columns of a light row (`Store.iter_batches`), and `ord`: the row's place in the
# read (statements come in entity id, then statement id order).
COLUMNS = ("entity_id", "schema", "prop", "prop_type", "value", "dataset")
_ROW = pa.struct([(name, pa.string()) for name in COLUMNS])
SCHEMA = pa.schema([*((name, pa.string()) for name in COLUMNS), ("ord", pa.int64())])

BATCH_ROWS = 50_000  # statements per table: as the store's own batches


def statement_tables(
    store: Store, props: Collection[str] | None = None, size: int = BATCH_ROWS
) -> Iterator[pa.Table]:
    """Light rows of `props` (every property if None) as tables of `SCHEMA`, of about
    `size` rows, never parting an entity; `ord` counts across the whole read."""
    start = 0
    for batch in store.iter_batches(size=size, props=props):
        if batch:
            yield light_table(batch, start)
            start += len(batch)


def light_table(rows: Sequence[LightRow], start: int = 0) -> pa.Table:
    """Light rows as a table of `SCHEMA`, `ord` counting from `start`."""
    if not rows:
        return SCHEMA.empty_table()
    # Arrow reads the driver's tuples as structs in C: transposing them in Python
    # (`zip(*rows)`) costs more than the whole aggregation that follows.
    columns = pa.array(rows, _ROW).flatten()
    order = pa.array(np.arange(start, start + len(rows), dtype=np.int64))
    return pa.Table.from_arrays([*columns, order], schema=SCHEMA)
