"""The name shares of a first run's pairs (`duckdb_state.name_shares`) are what the
SQL that reads every scored pair back through `rec` gives (the incremental path), and
NaN where the two records share no name: "no shared name", never the rarest one."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from threadline.engines import duckdb_state
from threadline.engines.duckdb_state import name_shares
from threadline.resolve.comparisons import COMPARISONS, NULL_LEVEL
from threadline.resolve.model import Model
from threadline.resolve.sql import TF_COLUMNS

_NAMES = ["anna", "berg", "carl", "dahl", None]
_OTHER = ["a@x.org", "b@x.org", None]


def _rec(size: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)

    def pick(values: list[str | None]) -> list[str | None]:
        return [values[i] for i in rng.integers(0, len(values), size)]

    def shares() -> list[float | None]:
        return [None if rng.random() < 0.2 else float(rng.random()) for _ in range(size)]

    return pa.table(
        {
            "rid": pa.array(range(size), pa.int32()),
            "first": pick(_NAMES),
            "last": pick(_NAMES),
            "email": pick(_OTHER),
            "ident": pick(["X1", "Y2", None]),
            "first_tf": pa.array(shares(), pa.float64()),
            "last_tf": pa.array(shares(), pa.float64()),
            "email_tf": pa.array(shares(), pa.float64()),
            "ident_tf": pa.array(shares(), pa.float64()),
        }
    )


def _by_sql(conn: duckdb.DuckDBPyConnection, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The SQL `merge_pairs` reads shares with, and the way it reads them."""
    conn.register("p", pa.table({"a": a, "b": b}))
    tf = ", ".join(
        f"CASE WHEN l.{c} = r.{c} THEN greatest(l.{c}_tf, r.{c}_tf)"
        f" WHEN l.{c} = r.{o} THEN greatest(l.{c}_tf, r.{o}_tf) END AS tf_{c}"
        for c, o in (("first", "last"), ("last", "first"), ("email", "email"), ("ident", "ident"))
    )
    result = conn.execute(
        f"SELECT p.a, p.b, {tf} FROM p JOIN rec l ON l.rid = p.a JOIN rec r ON r.rid = p.b"
        " ORDER BY p.a, p.b"
    ).fetchnumpy()
    return np.stack([duckdb_state._floats(result[f"tf_{c}"]) for c in TF_COLUMNS], 1)


@pytest.mark.parametrize("step", [None, 333])  # one slice of pairs, and several
def test_name_shares_equal_the_sql_ones(step: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if step is not None:
        monkeypatch.setattr(duckdb_state, "_SLICE", step)
    conn = duckdb.connect()
    rec = _rec(300, seed=3)
    conn.register("staged", rec)
    # Stored in another order than rid's: the shares must follow rid, not storage.
    conn.execute("CREATE TABLE rec AS SELECT * FROM staged ORDER BY first, rid DESC")
    rng = np.random.default_rng(5)
    a = rng.integers(0, 300, 5000)
    b = rng.integers(0, 300, 5000)
    keep = a < b
    keys = np.unique(np.stack([a[keep], b[keep]], 1), axis=0)  # unique, ordered (a, b)
    a, b = keys[:, 0].astype(np.int64), keys[:, 1].astype(np.int64)
    found = name_shares(conn, a, b)
    expected = _by_sql(conn, a, b)
    assert found.shape == expected.shape == (len(a), len(TF_COLUMNS))
    assert (expected > 0).any() and np.isnan(expected).any()  # both cases are exercised
    np.testing.assert_array_equal(found, expected)  # NaN where the other has NaN
    assert not (found == 0).any()  # no pair reads "the rarest name" for "none shared"


def test_a_pair_sharing_no_e_mail_is_weighed_by_its_level() -> None:
    """Two records with one phone number and different (or no) e-mail addresses agree
    at contact's top level; with no e-mail address in common there is no name share to
    weigh, so the level's own weight counts, as the batch path, `explain` and screening
    weigh it, and not the ~23 bits of a 0.0 share, the rarest value there is."""
    conn = duckdb.connect()
    rec = pa.table(
        {
            "rid": pa.array([0, 1, 2], pa.int32()),
            "first": ["anna", "anne", "anna"],
            "last": ["berg", "berg", "dahl"],
            "email": ["a@x.org", None, "b@x.org"],
            "ident": pa.array([None, None, None], pa.string()),
            **{f"{c}_tf": pa.array([0.01, 0.02, 0.03]) for c in TF_COLUMNS},
        }
    )
    conn.register("rec", rec)
    a, b = np.array([0, 0], dtype=np.int64), np.array([1, 2], dtype=np.int64)
    shares = name_shares(conn, a, b)
    assert np.isnan(shares[:, TF_COLUMNS.index("email")]).all()
    model = Model.initial()
    contact = [c.name for c in COMPARISONS].index("contact")
    levels = np.full((2, len(COMPARISONS)), NULL_LEVEL, dtype=np.int8)
    levels[:, contact] = COMPARISONS[contact].size - 1  # the same phone number
    found = model.feature_weights(levels, shares)[:, contact]
    np.testing.assert_allclose(found, model.weights()[contact][-1])
