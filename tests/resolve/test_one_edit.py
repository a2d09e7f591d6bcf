"""The cheap condition before the edit distance ("one typo" of dates and postcodes)
changes no answer: `_one_edit` holds exactly where Damerau-Levenshtein <= 1."""

from __future__ import annotations

import itertools
import random

import duckdb
import pyarrow as pa

from threadline.resolve.comparisons import _one_edit
from threadline.resolve.dialect import DUCKDB


def _disagreements(left: list[str | None], right: list[str | None]) -> list[tuple[str, str]]:
    """The pairs (left[i], right[i]) where `_one_edit` and `damerau <= 1` differ."""
    conn = duckdb.connect()
    conn.register(
        "p", pa.table({"a": pa.array(left, pa.string()), "b": pa.array(right, pa.string())})
    )
    fast = _one_edit(DUCKDB, "l.v", "r.v")
    rows = conn.execute(
        f"SELECT l.v, r.v FROM (SELECT row_number() OVER () AS n, a AS v, b FROM p) l"
        f" JOIN (SELECT row_number() OVER () AS n, b AS v FROM p) r ON l.n = r.n"
        f" WHERE ({fast}) IS DISTINCT FROM (damerau_levenshtein(l.v, r.v) <= 1)"
    ).fetchall()
    return [(str(a), str(b)) for a, b in rows]


def test_every_pair_of_short_strings() -> None:
    # Every string of up to four characters of a small alphabet (one of them not
    # ASCII, for lengths in characters), against every other: 116,281 pairs.
    words = ["".join(w) for n in range(5) for w in itertools.product("ab1é", repeat=n)]
    pairs = list(itertools.product(words, repeat=2))
    assert _disagreements([a for a, _ in pairs], [b for _, b in pairs]) == []


def test_single_edits_of_longer_strings() -> None:
    rng = random.Random(5)
    left, right = [], []
    for _ in range(20_000):
        a = "".join(rng.choice("0123456789ab") for _ in range(rng.randint(1, 10)))
        at = rng.randrange(len(a))
        edit = rng.choice(["swap", "drop", "add", "change", "two"])
        if edit == "swap" and at + 1 < len(a):
            b = a[:at] + a[at + 1] + a[at] + a[at + 2 :]
        elif edit == "drop":
            b = a[:at] + a[at + 1 :]
        elif edit == "add":
            b = a[:at] + "x" + a[at:]
        elif edit == "two":
            b = a[:at] + "yz" + a[at + 2 :]
        else:
            b = a[:at] + "z" + a[at + 1 :]
        left.append(a)
        right.append(b)
    assert _disagreements(left, right) == []


def test_dates_and_nulls() -> None:
    left = ["19850312", "19850312", "19850312", "19850312", "1985", None]
    right = ["19850321", "19860312", "19570312", "20010101", "19850312", "1985"]
    assert _disagreements(left, right) == []
    conn = duckdb.connect()
    found = conn.execute(
        f"SELECT {_one_edit(DUCKDB, 'l.v', 'r.v')}"
        " FROM (SELECT unnest(['19850312', '19850312', '19850312']) AS v, 1 AS k) l"
        " POSITIONAL JOIN (SELECT unnest(['19850321', '19570312', NULL]) AS v) r"
    ).fetchall()
    assert [f for (f,) in found] == [True, False, None]
