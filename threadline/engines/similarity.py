"""String similarities as DuckDB computes them, for engines that lack them (Spark).

Comparison levels test thresholds (Jaro-Winkler >= 0.92, edits <= 1): an engine must
compute the same numbers as DuckDB, the reference, or pairs change level. These follow
DuckDB's own (rapidfuzz's Jaro-Winkler and the unrestricted Damerau-Levenshtein), over
code points, with its arithmetic in its order (the Winkler bonus is one fused
multiply-add in DuckDB's build: rounding twice differs in the last bit for about one
pair in a thousand); tests/engines/test_similarity.py compares them with DuckDB.
"""

from __future__ import annotations

import math
from collections.abc import Callable

PREFIX_WEIGHT = 0.1
MAX_PREFIX = 4
BOOST_THRESHOLD = 0.7  # Winkler's prefix bonus only for strings already this similar
_FUSED: Callable[[float, float, float], float] | None = getattr(math, "fma", None)


def jaro(s1: str, s2: str) -> float:
    """Jaro similarity in [0, 1]; 0 when either string is empty (as DuckDB)."""
    n1, n2 = len(s1), len(s2)
    if not n1 or not n2:
        return 0.0
    window = max(max(n1, n2) // 2 - 1, 0)
    taken = [False] * n2
    matched1: list[str] = []
    for i, char in enumerate(s1):
        for j in range(max(0, i - window), min(n2, i + window + 1)):
            if not taken[j] and s2[j] == char:
                taken[j] = True
                matched1.append(char)
                break
    common = len(matched1)
    if not common:
        return 0.0
    matched2 = [s2[j] for j in range(n2) if taken[j]]
    transpositions = sum(a != b for a, b in zip(matched1, matched2, strict=True)) // 2
    total = common / n1 + common / n2 + (common - transpositions) / common
    return total / 3.0


def jaro_winkler(s1: str | None, s2: str | None) -> float | None:
    """Jaro-Winkler similarity in [0, 1] (None for a missing value, as SQL's NULL)."""
    if s1 is None or s2 is None:
        return None
    score = jaro(s1, s2)
    if score > BOOST_THRESHOLD:
        prefix = 0
        for a, b in zip(s1[:MAX_PREFIX], s2[:MAX_PREFIX], strict=False):
            if a != b:
                break
            prefix += 1
        score = _fma(prefix * PREFIX_WEIGHT, 1.0 - score, score)
    return score


def _fma(x: float, y: float, z: float) -> float:
    """x * y + z rounded once (math.fma from Python 3.13)."""
    if _FUSED is not None:
        return float(_FUSED(x, y, z))
    if not (math.isfinite(x) and math.isfinite(y)):
        return x * y + z  # an infinite or NaN product is what fma's exact one is
    if not math.isfinite(z):
        return z
    if x == 0.0 or y == 0.0:
        return x * y + z  # the product is exact (a signed zero): one rounding, the sum's
    # Exactly, over a common power-of-two denominator; int / int rounds correctly (as
    # Fraction's float() does, but some 20 times faster: a Spark UDF calls this per pair).
    a, b = x.as_integer_ratio()
    c, d = y.as_integer_ratio()
    e, f = z.as_integer_ratio()
    numerator = a * c * f + e * b * d
    try:
        return numerator / (b * d * f)
    except OverflowError:  # rounds beyond the largest float, as fma's result does
        return math.inf if numerator > 0 else -math.inf


def damerau_levenshtein(s1: str | None, s2: str | None) -> int | None:
    """Edits (insertions, deletions, substitutions, transpositions of adjacent
    characters, with no limit on edits between them) from s1 to s2."""
    if s1 is None or s2 is None:
        return None
    n1, n2 = len(s1), len(s2)
    big = n1 + n2
    last_row: dict[str, int] = {}
    # Rows and columns shifted by two: row 0 holds the bound, row 1 the empty prefix.
    d = [[big] * (n2 + 2)] + [[big] + [0] * (n2 + 1) for _ in range(n1 + 1)]
    for i in range(n1 + 1):
        d[i + 1][1] = i
    for j in range(n2 + 1):
        d[1][j + 1] = j
    for i in range(1, n1 + 1):
        last_col = 0
        for j in range(1, n2 + 1):
            k = last_row.get(s2[j - 1], 0)
            same = s1[i - 1] == s2[j - 1]
            d[i + 1][j + 1] = min(
                d[i][j] + (0 if same else 1),
                d[i + 1][j] + 1,
                d[i][j + 1] + 1,
                d[k][last_col] + (i - k - 1) + 1 + (j - last_col - 1),
            )
            if same:
                last_col = j
        last_row[s1[i - 1]] = i
    return d[n1 + 1][n2 + 1]
