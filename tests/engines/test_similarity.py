"""The engines' string similarities give DuckDB's numbers exactly (the reference)."""

from __future__ import annotations

import math
import struct
from fractions import Fraction

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.engines.similarity import _fma, damerau_levenshtein, jaro_winkler

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


def _bits(value: float) -> bytes:
    return struct.pack("<d", value)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False), st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_fma_rounds_once(x: float, y: float, z: float) -> None:
    """Bit for bit the exact x * y + z, rounded once (math.fma's definition)."""
    if not all(map(math.isfinite, (x, y, z))):
        return
    try:
        exact = float(Fraction(x) * Fraction(y) + Fraction(z))
    except OverflowError:  # beyond the largest float: fma gives an infinity
        assert math.isinf(_fma(x, y, z))
        return
    found = _fma(x, y, z)
    if exact == 0.0:  # Fraction has no signed zero; IEEE's: -0 only for -0 + -0
        negative = math.copysign(1.0, x) * math.copysign(1.0, y) < 0 and _bits(z) == _bits(-0.0)
        assert found == 0.0 and _bits(found) == _bits(-0.0 if negative else 0.0), (x, y, z)
    else:
        assert _bits(found) == _bits(exact), (x, y, z)


@pytest.mark.parametrize(
    ("x", "y", "z"),
    [
        (0.1, 1.0 - 0.7333333333333334, 0.7333333333333334),  # a Winkler bonus
        (0.30000000000000004, 0.06666666666666665, 0.9333333333333333),
        (0.0, 0.25, 0.75),  # no common prefix: the score as it was
        (5e-324, 0.5, 0.0),  # a subnormal product, rounded once (to even: zero)
        (1.7976931348623157e308, 2.0, -1.7976931348623157e308),  # no overflow midway
        (math.inf, 2.0, 1.0),
        (math.inf, 0.0, 1.0),  # NaN, as fma
        (2.0, 3.0, -math.inf),
    ],
)
def test_fma_edges(x: float, y: float, z: float) -> None:
    found = _fma(x, y, z)
    if not all(map(math.isfinite, (x, y, z))):
        expected = x * y + z if math.isfinite(z) else z
        assert _bits(found) == _bits(expected) or (math.isnan(found) and math.isnan(expected))
    else:
        assert _bits(found) == _bits(float(Fraction(x) * Fraction(y) + Fraction(z)))
