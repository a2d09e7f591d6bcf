"""Name frequencies count full names, not records: a prolific inventor's thousand
mentions do not make his given name common."""

from __future__ import annotations

import pyarrow as pa
import pytest

from threadline.resolve.namefrequency import name_frequency
from threadline.resolve.prepare import prepare

CASES = [
    # (parts, full names) -> shares
    (["junyi"] * 4 + ["wei"], ["junyi li"] * 4 + ["wei li"], [0.5] * 4 + [0.5]),
    (["wei", "wei", "jun"], ["wei li", "wei wang", "jun li"], [2 / 3, 2 / 3, 1 / 3]),
    (["li", "li", "li"], ["wei li", "wei li", "jun li"], [1.0, 1.0, 1.0]),
    ([None, "ann"], [None, "ann roy"], [None, 1.0]),
    ([None, None], [None, None], [None, None]),
]


@pytest.mark.parametrize(("parts", "full", "expected"), CASES)
def test_each_full_name_counts_once(
    parts: list[str | None], full: list[str | None], expected: list[float | None]
) -> None:
    found = name_frequency(pa.array(parts, pa.string()), pa.array(full, pa.string()))
    assert found.to_pylist() == pytest.approx(expected)


def _person(n: int, first: str, last: str) -> dict[str, object]:
    return {"id": f"p{n}", "dataset": "d", "schema": "Person",
            "first_name": first, "last_name": last}  # fmt: skip


def test_prepared_shares_count_middle_names_apart() -> None:
    # Jung Ho Kim and Jung Sun Kim are two people: "jung" is held by two full names of
    # three, however many records Jung Ho Kim has.
    rows = [_person(n, "Jung Ho", "Kim") for n in range(50)]
    rows += [_person(50, "Jung Sun", "Kim"), _person(51, "Mi Ran", "Park")]
    table = prepare(rows)
    first_tf = table.column("first_tf").to_pylist()
    last_tf = table.column("last_tf").to_pylist()
    assert first_tf[0] == pytest.approx(2 / 3)
    assert first_tf[-1] == pytest.approx(1 / 3)
    assert last_tf[0] == pytest.approx(2 / 3)


def test_a_full_name_written_whole_or_in_parts_counts_once() -> None:
    rows: list[dict[str, object]] = [
        {"id": "a", "dataset": "d", "schema": "Person", "name": "Jung Ho Kim"},
        _person(1, "Jung Ho", "Kim"),
        _person(2, "Jung Sun", "Kim"),
        _person(3, "Mi Ran", "Park"),
    ]
    first_tf = prepare(rows).column("first_tf").to_pylist()
    assert first_tf[:3] == pytest.approx([2 / 3] * 3)
