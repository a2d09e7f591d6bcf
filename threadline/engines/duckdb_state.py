"""The state a DuckDB file keeps between resolution runs: the records of the last run
(`rec`, with their fingerprints) and its scored pairs (`scored`, by record id).

An incremental run compares only records whose fingerprint changed, and keeps the
scored pairs of the others; `explain` reads the last run's name frequencies from `rec`.
"""

from __future__ import annotations

from collections.abc import Collection

import duckdb
import numpy as np
import pyarrow as pa

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
        tf=np.stack([np.asarray(result[f"tf_{c}"], dtype=np.float64) for c in TF_COLUMNS], axis=1),
    )
