"""People of one name linked to one party (a co-inventor, a director) are compared
wherever they live: a prolific inventor who moved shares his co-inventors, not his city."""

from __future__ import annotations

import pyarrow as pa
import pytest

from threadline.engines.duckdb import DuckDBEngine
from threadline.resolve.blocking import NAME_WINDOW, PARTY_BLOCK, RULES, agreeing_rules
from threadline.resolve.frame import FIELDS
from threadline.resolve.prepare import prepare

PARTY_RULE = "full name and a party in common"
_RULE = next(n for n, rule in enumerate(RULES) if rule.name == PARTY_RULE)


def _prepared(rows: list[dict[str, object]]) -> pa.Table:
    """Prepared records with their neighbours' name keys (as relations.py gives them)."""
    columns = {f: pa.array([r.get(f) for r in rows], pa.string()) for f in FIELDS}
    columns["rel_names"] = pa.array([r["rel_names"] for r in rows], pa.list_(pa.string()))
    return prepare(pa.table(columns))


def _pairs(rows: list[dict[str, object]], rules: list[int]) -> set[tuple[str, str]]:
    engine = DuckDBEngine()
    try:
        table = _prepared(rows)
        engine.load(table)
        engine.candidates([RULES[n] for n in rules])
        ids = table.column("id").to_pylist()
        found = engine.conn.execute("SELECT a, b FROM pairs").fetchall()
        return {(ids[a], ids[b]) for a, b in found}
    finally:
        engine.close()


def _person(n: int, city: str, parties: list[str] | None) -> dict[str, object]:
    return {"id": f"p{n:03d}", "dataset": "d", "schema": "Person", "name": "Junyi Li",
            "first_name": "Junyi", "last_name": "Li", "city": city,
            "rel_names": parties}  # fmt: skip


def _mover(others: int) -> list[dict[str, object]]:
    """One mention in Chester and one in Bedminster sharing a co-inventor, among `others`
    mentions of the name in cities sorting between them, with co-inventors of their own."""
    rows = [_person(0, "Bedminster", ["laroia rajiv"]), _person(1, "Chester", ["laroia rajiv"])]
    rows += [_person(n + 2, f"Boston {n:03d}", [f"someone {n}"]) for n in range(others)]
    return rows


@pytest.mark.parametrize("others", [0, 20, 200])
def test_one_name_sharing_a_party_pairs_across_places(others: int) -> None:
    rows = _mover(others)
    # By name alone, a big block pairs only neighbours by place: the mover is missed.
    if others > NAME_WINDOW:
        assert ("p000", "p001") not in _pairs(rows, [0])
    assert ("p000", "p001") in _pairs(rows, [_RULE])


def test_only_records_sharing_the_party_pair() -> None:
    pairs = _pairs(_mover(20), [_RULE])
    assert pairs == {("p000", "p001")}


def test_a_party_of_many_records_pairs_by_neighbourhood() -> None:
    count = PARTY_BLOCK + 10
    rows = [_person(n, f"City {n:03d}", ["org:qualcomm"]) for n in range(count)]
    pairs = _pairs(rows, [_RULE])
    assert len(pairs) == count * NAME_WINDOW - NAME_WINDOW * (NAME_WINDOW + 1) // 2


def test_explain_names_the_rule() -> None:
    left, right = (_prepared(_mover(0)).slice(n, 1).to_pylist()[0] for n in (0, 1))
    assert PARTY_RULE in agreeing_rules(left, right)


def test_the_rule_is_last_so_stored_rule_numbers_keep() -> None:
    assert len(RULES) - 1 == _RULE
