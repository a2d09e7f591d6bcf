"""The scoring of pairs in slices by their left record (`DuckDBEngine.levels`) gives
the same pairs, in the same (a, b) order, with the same levels, rule flags and name
shares as one pass over all pairs."""

from __future__ import annotations

import numpy as np
import pytest

from threadline.engines import duckdb as duckdb_engine
from threadline.engines.duckdb import DuckDBEngine, PairLevels
from threadline.resolve.blocking import RULES, TRAINING_RULES
from threadline.resolve.comparisons import COMPARISONS
from threadline.resolve.prepare import prepare

_FIRST = ["Anna", "Anne", "Carl", "Karl", "Dora"]
_LAST = ["Berg", "Berger", "Dahl", "Dal"]


def _rows(size: int) -> list[dict[str, object]]:
    rng = np.random.default_rng(11)
    rows: list[dict[str, object]] = []
    for n in range(size):
        first, last = _FIRST[rng.integers(0, 5)], _LAST[rng.integers(0, 4)]
        if rng.random() < 0.2:  # written family name first: the swap is exercised
            first, last = last, first
        rows.append(
            {"id": f"p{n:04d}", "dataset": f"d{n % 2}", "schema": "Person",
             "name": f"{first} {last}", "first_name": first, "last_name": last,
             "birth_date": f"19{60 + int(rng.integers(0, 3))}-0{1 + int(rng.integers(0, 2))}-11",
             "city": ["Oslo", "Bergen"][int(rng.integers(0, 2))],
             "email": f"{first.lower()}@x.org" if rng.random() < 0.3 else None}
        )  # fmt: skip
    return rows


def _levels(slice_records: int | None, monkeypatch: pytest.MonkeyPatch) -> PairLevels:
    if slice_records is not None:
        monkeypatch.setattr(duckdb_engine, "_SLICE_RECORDS", slice_records)
    engine = DuckDBEngine()
    try:
        engine.load(prepare(_rows(240)))
        engine.candidates(RULES)
        return engine.levels(COMPARISONS, rules=[RULES[i] for i in TRAINING_RULES])
    finally:
        engine.close()


@pytest.mark.parametrize("slice_records", [1, 7, 100])
def test_slices_score_as_one_pass(slice_records: int, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _levels(None, monkeypatch)
    sliced = _levels(slice_records, monkeypatch)
    assert len(whole) > 1000  # enough pairs, over many left records
    assert len(np.unique(whole.a)) > 100
    order = np.lexsort((whole.b, whole.a))
    np.testing.assert_array_equal(order, np.arange(len(whole)))  # ordered by (a, b)
    for name in ("a", "b", "rule", "levels", "agrees", "tf"):
        np.testing.assert_array_equal(getattr(sliced, name), getattr(whole, name), name)


def test_no_pairs_give_empty_levels() -> None:
    engine = DuckDBEngine()
    try:
        engine.load(prepare(_rows(3)))
        engine.set_pairs([], [])
        found = engine.levels(COMPARISONS)
    finally:
        engine.close()
    assert len(found) == 0
    assert found.levels.shape == (0, len(COMPARISONS))
