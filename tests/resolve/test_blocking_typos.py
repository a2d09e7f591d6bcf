"""Records whose every name word is mistyped still become candidates: by the full birth
date and the family name's first letter, or by one street address with its postcode or
its city; a year alone, or a block of flats, is too big a block to pair."""

from __future__ import annotations

from threadline.engines.duckdb import DuckDBEngine
from threadline.resolve.blocking import DATE_INITIAL_BLOCK, HOUSEHOLD, RULES
from threadline.resolve.prepare import prepare

NEW_RULES = ("birth date and family name initial", "street address and postcode",
             "street address and city")  # fmt: skip


def _pairs(rows: list[dict[str, object]], rule: str) -> set[tuple[str, str]]:
    engine = DuckDBEngine()
    try:
        table = prepare(rows)
        engine.load(table)
        engine.candidates([r for r in RULES if r.name == rule])
        ids = table.column("id").to_pylist()
        found = engine.conn.execute("SELECT a, b FROM pairs").fetchall()
        return {(min(ids[a], ids[b]), max(ids[a], ids[b])) for a, b in found}
    finally:
        engine.close()


def _person(entity_id: str, first: str, last: str, **more: object) -> dict[str, object]:
    return {"id": entity_id, "dataset": "d", "schema": "Person", "name": f"{first} {last}",
            "first_name": first, "last_name": last, **more}  # fmt: skip


def test_the_new_rules_are_last_so_stored_rule_numbers_keep() -> None:
    # ... followed only by rules added since (test_blocking_party.py).
    later = ("full name and a party in common",)
    names = tuple(r.name for r in RULES)
    assert names[-len(NEW_RULES) - len(later) :] == NEW_RULES + later


def test_both_names_mistyped_pair_by_birth_date_and_initial() -> None:
    rows = [
        _person("a", "Biragit", "Brandner", birth_date="1960-04-26"),
        _person("b", "Birgit", "Brancdner", birth_date="1960-04-26"),
        _person("c", "Birgit", "Kandner", birth_date="1960-04-26"),  # another initial
        _person("d", "Birgit", "Brandner", birth_date="1961-04-26"),  # another day
    ]
    assert _pairs(rows, NEW_RULES[0]) == {("a", "b")}


def test_a_year_alone_is_not_a_day() -> None:
    rows = [_person(f"p{n}", f"Name{n}", "Berg", birth_date="1960") for n in range(20)]
    assert len(rows) > DATE_INITIAL_BLOCK
    assert _pairs(rows, NEW_RULES[0]) == set()


def test_one_household_pairs_by_street_address_with_postcode_or_city() -> None:
    rows = [
        _person("a", "Anthony", "Barnmore", address="Rosenplatz 60", postcode="87070"),
        _person("b", "Tony", "Baramore", address="Rosenplatz 60, 87070 München"),
        _person("c", "Liz", "Jackson", address="Marktstr. 64", city="Hamburg"),
        _person("d", "Elizabeth", "Jfckson", address="Marktstraße 64", city="Hamburg"),
    ]
    assert ("a", "b") in _pairs(rows, NEW_RULES[1])
    assert ("c", "d") in _pairs(rows, NEW_RULES[2])


def test_a_block_of_flats_is_too_big_to_pair() -> None:
    rows = [
        _person(f"p{n}", f"Name{n}", f"Family{n}", address="Hochhausring 1", postcode="10115")
        for n in range(HOUSEHOLD + 1)
    ]
    assert _pairs(rows, NEW_RULES[1]) == set()
