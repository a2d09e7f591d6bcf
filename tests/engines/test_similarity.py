"""The engines' string similarities give DuckDB's numbers exactly (the reference)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.engines.similarity import damerau_levenshtein, jaro_winkler

WORDS = st.text(alphabet="abcdeé -", max_size=12)
CASES = [
    ("martha", "marhta"),
    ("dixon", "dicksonx"),
    ("ca", "abc"),  # unrestricted: two edits (optimal string alignment says three)
    ("0", "00"),
    ("CRATE", "TRACE"),
    ("DwAyNE", "DuANE"),
    ("aacc", "accdé"),  # the Winkler bonus rounded once (fused multiply-add)
    ("", ""),
    ("a", ""),
    ("é", "e"),  # code points, not bytes
]


@pytest.fixture(scope="module")
def conn() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def _duckdb(
    conn: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]]
) -> list[tuple[float, int]]:
    table = pa.table({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    conn.register("pairs_table", table)
    try:
        sql = "SELECT jaro_winkler_similarity(a, b), damerau_levenshtein(a, b) FROM pairs_table"
        return [(float(jw), int(dl)) for jw, dl in conn.execute(sql).fetchall()]
    finally:
        conn.unregister("pairs_table")


@pytest.mark.parametrize(("a", "b"), CASES)
def test_known_pairs(conn: duckdb.DuckDBPyConnection, a: str, b: str) -> None:
    ((jw, dl),) = _duckdb(conn, [(a, b)])
    assert jaro_winkler(a, b) == jw
    assert damerau_levenshtein(a, b) == dl


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(WORDS, WORDS), min_size=1, max_size=100))
def test_any_strings(pairs: list[tuple[str, str]]) -> None:
    with duckdb.connect() as conn:
        found = _duckdb(conn, pairs)
    for (a, b), (jw, dl) in zip(pairs, found, strict=True):
        assert jaro_winkler(a, b) == jw, (a, b)
        assert damerau_levenshtein(a, b) == dl, (a, b)


def test_null_in_null_out() -> None:
    assert jaro_winkler(None, "a") is None
    assert damerau_levenshtein("a", None) is None
