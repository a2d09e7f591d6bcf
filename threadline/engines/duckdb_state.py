"""The state a DuckDB file keeps between resolution runs: the records of the last run
(`rec`, with their fingerprints) and its scored pairs (`scored`, by record id).

An incremental run compares only records whose fingerprint changed, and keeps the
scored pairs of the others; `explain` reads the last run's name frequencies from `rec`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from threadline.engines.base import PairLevels
from threadline.resolve.comparisons import COMPARISONS
from threadline.resolve.sql import TF_COLUMNS

LEVEL_COLUMNS = [c.name for c in COMPARISONS]


def known_fingerprints(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Fingerprints of the records of the previous run, by id."""
    exists = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'rec'"
    ).fetchall()
    if not exists[0][0]:
        return {}
    return {str(i): str(fp) for i, fp in conn.execute("SELECT id, fp FROM rec").fetchall()}


def rids(conn: duckdb.DuckDBPyConnection, ids: Collection[str]) -> dict[str, int]:
    """Row numbers of these record ids in `rec`."""
    table = pa.table({"id": pa.array(sorted(ids), pa.string())})
    conn.register("wanted_ids", table)
    try:
        rows = conn.execute(
            "SELECT r.id, r.rid FROM rec r JOIN wanted_ids w ON w.id = r.id"
        ).fetchall()
    finally:
        conn.unregister("wanted_ids")
    return {str(i): int(n) for i, n in rows}


def merge_pairs(
    conn: duckdb.DuckDBPyConnection, levels: PairLevels, incremental: bool
) -> PairLevels:
    """Store this run's scored pairs (replacing, or adding to the previous run's) and
    return every current pair with its levels, in record row numbers."""
    columns = {
        "a": pa.array(levels.a, pa.int32()),
        "b": pa.array(levels.b, pa.int32()),
        "rule": pa.array(levels.rule, pa.int8()),
    }
    for n, name in enumerate(LEVEL_COLUMNS):
        columns[name] = pa.array(levels.levels[:, n], pa.int8())
    conn.register("fresh_pairs", pa.table(columns))
    fresh = (
        f"SELECT l.id AS left_id, r.id AS right_id, p.rule, {', '.join('p.' + c for c in LEVEL_COLUMNS)}"
        " FROM fresh_pairs p JOIN rec l ON l.rid = p.a JOIN rec r ON r.rid = p.b"
    )
    try:
        if incremental:
            # Pairs of records that changed or left are dropped; the rest are kept.
            conn.execute(
                "DELETE FROM scored WHERE left_id NOT IN (SELECT id FROM rec WHERE NOT new)"
                " OR right_id NOT IN (SELECT id FROM rec WHERE NOT new)"
            )
            conn.execute(f"INSERT INTO scored {fresh}")
        else:
            conn.execute(f"CREATE OR REPLACE TABLE scored AS {fresh}")
    finally:
        conn.unregister("fresh_pairs")
    del columns
    if not incremental:
        # Every current pair is one of this run's, already ordered by (a, b): only the
        # name shares are new, found in NumPy rather than by reading the pairs back
        # through two joins (at a million records, tens of millions of rows, twice held).
        return replace(levels, agrees=None, tf=name_shares(conn, levels.a, levels.b))
    # Name frequencies are read from the current records, not stored with the pairs:
    # new records change them, and an incremental run must score as a full one does.
    tf = ", ".join(
        f"CASE WHEN l.{c} = r.{c} THEN greatest(l.{c}_tf, r.{c}_tf)"
        f" WHEN l.{c} = r.{o} THEN greatest(l.{c}_tf, r.{o}_tf) END AS tf_{c}"
        for c, o in (("first", "last"), ("last", "first"), ("email", "email"), ("ident", "ident"))
    )
    result = conn.execute(
        f"SELECT l.rid AS a, r.rid AS b, s.rule, {', '.join('s.' + c for c in LEVEL_COLUMNS)},"
        f" {tf} FROM scored s JOIN rec l ON l.id = s.left_id JOIN rec r ON r.id = s.right_id"
        " ORDER BY a, b"
    ).fetchnumpy()
    return PairLevels(
        a=np.asarray(result["a"], dtype=np.int64),
        b=np.asarray(result["b"], dtype=np.int64),
        rule=np.asarray(result["rule"], dtype=np.int8),
        levels=np.stack([np.asarray(result[c], dtype=np.int8) for c in LEVEL_COLUMNS], axis=1)
        if len(result["a"])
        else np.zeros((0, len(LEVEL_COLUMNS)), dtype=np.int8),
        tf=np.stack([_floats(result[f"tf_{c}"]) for c in TF_COLUMNS], axis=1),
    )


def _floats(column: npt.NDArray[np.generic]) -> npt.NDArray[np.float64]:
    """A fetched column of shares with its NULLs (no shared name) as NaN: `fetchnumpy`
    masks them, and the masked values read as 0.0."""
    return np.ma.filled(np.ma.asarray(column, dtype=np.float64), np.nan)


# The name parts whose shares `merge_pairs` reads, and the part each is also compared
# with (a family name written first lines up with the other record's given name).
_SLICE = 1_000_000  # pairs per step of `name_shares`
_SHARED = (("first", "last"), ("last", "first"), ("email", "email"), ("ident", "ident"))


def name_shares(
    conn: duckdb.DuckDBPyConnection, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Per pair (a[i], b[i] of `rec`'s rows), the share of each name of TF_COLUMNS the two
    records have in common: as the SQL of `merge_pairs` says it (the larger of the two
    records' shares where one's name equals the other's, or equals its swapped part),
    and NaN where they share none: "no shared name", which leaves the level's own
    weight (a 0.0 here read as the rarest name there is, ~23 bits for a phone number
    in common but not an e-mail address).

    Values are compared by their codes in one dictionary per pair of parts that are
    compared, so no string is read per pair."""
    names = [c for c, _ in _SHARED]
    table = conn.sql(
        f"SELECT rid, {', '.join(f'{c}, {c}_tf' for c in names)} FROM rec"
    ).to_arrow_table()
    # Arrays indexed by row number (rid), whatever order `rec` keeps its rows in.
    rid = table.column("rid").to_numpy().astype(np.int64)
    size = int(rid.max()) + 1 if len(rid) else 0
    codes: dict[str, npt.NDArray[np.int64]] = {}
    for group in (("first", "last"), ("email",), ("ident",)):
        joined = pa.chunked_array(
            [chunk for c in group for chunk in table.column(c).chunks], pa.string()
        )
        encoded = pc.dictionary_encode(joined.combine_chunks())
        index = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        for n, c in enumerate(group):
            codes[c] = np.full(size, -1, dtype=np.int64)
            codes[c][rid] = index[n * table.num_rows : (n + 1) * table.num_rows]
    share: dict[str, npt.NDArray[np.float64]] = {}
    for c in names:
        share[c] = np.full(size, np.nan)
        share[c][rid] = table.column(f"{c}_tf").to_numpy().astype(np.float64)
    del table
    result = np.zeros((len(a), len(TF_COLUMNS)), dtype=np.float64)
    # In slices of pairs: the scratch arrays of all pairs at once would add a third to
    # the result's own memory at a million records.
    for start in range(0, len(a), _SLICE):
        part = slice(start, start + _SLICE)
        left, right = a[part], b[part]
        for c, other in _SHARED:
            mine = codes[c][left]
            found = np.full(len(left), np.nan)
            same = (mine >= 0) & (mine == codes[c][right])
            found[same] = np.fmax(share[c][left[same]], share[c][right[same]])
            swapped = ~same & (mine >= 0) & (mine == codes[other][right])
            found[swapped] = np.fmax(share[c][left[swapped]], share[other][right[swapped]])
            result[part, TF_COLUMNS.index(c)] = found
    return result
