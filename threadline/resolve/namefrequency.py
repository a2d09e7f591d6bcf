"""Name frequencies counted over people, not records: how common a given or family name is.

An exact name match weighs by how common the name is (Splink's term-frequency
adjustment, model.Model.feature_weights). Counted over records, the name of someone with
a thousand records (a prolific inventor's mentions, a company director in every filing)
looks a thousand times as common as it is, and agreeing on it counts for little exactly
where the records are one person. So a name part's frequency is its share of the
distinct full names: each full name (given and family name together) counts once,
however many records hold it. Namesakes (two John Smiths) are then undercounted, which
matters little: a full name shared by many people is common in its parts anyway.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc


def name_frequency(part: pa.Array, full: pa.Array) -> pa.Array:
    """Each record's `part` (a given or family name) as a share of the distinct `full`
    names holding a part at all (null where the record has none)."""
    valid = pc.is_valid(part)
    pairs = pa.table({"part": part, "full": full}).filter(valid)
    distinct = pairs.group_by(["part", "full"]).aggregate([])
    counts = distinct.group_by("part").aggregate([("full", "count")])
    total = max(distinct.num_rows, 1)
    shares = pc.divide(counts.column("full_count").cast(pa.float64()), float(total))
    found = shares.take(pc.index_in(part, value_set=counts.column("part")))
    return pc.if_else(valid, found, pa.scalar(None, pa.float64()))
