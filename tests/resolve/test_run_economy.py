"""The shortcuts a resolution run takes at scale give what the long way gives: one split
per distinct address, canonical ids from the run's own union-find, one shared empty set
of initials."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from threadline.resolve import canonical as canon
from threadline.resolve.address import address_columns, split_address, street_key
from threadline.resolve.judgement import Judgement, Verdict
from threadline.resolve.prepare import prepare
from threadline.resolve.priors import Records


def _column(values: Sequence[str | None]) -> pa.Array:
    return pa.array(values, pa.string())


def test_one_address_with_different_postcodes_and_cities_splits_alike() -> None:
    # The same street line with and without its postcode, city and country: split once,
    # each record keeps its own postcode and city.
    address = _column(["Hauptstr. 5, 10115 Berlin"] * 3 + ["12 High Street"] * 2)
    postcode = _column([None, "10117", None, "SW1A 1AA", None])
    city = _column([None, None, "Potsdam", "London", None])
    country = _column([None, "DE", None, "GB", None])
    columns = address_columns(address, postcode, city, country)
    assert (
        columns["street"].to_pylist()
        == [street_key("Hauptstr.")] * 3 + [street_key("High Street")] * 2
    )
    assert columns["house"].to_pylist() == ["5", "5", "5", "12", "12"]
    assert columns["postcode"].to_pylist() == ["10115", "10117", "10115", "sw1a1aa", None]
    assert columns["city"].to_pylist() == ["berlin", "berlin", "potsdam", "london", None]
    parts = split_address("Hauptstr. 5, 10115 Berlin", "DE")
    assert (parts.postcode, parts.city) == ("10115", "Berlin")


ids = st.sampled_from([f"e{n}" for n in range(8)])


@given(st.lists(st.tuples(ids, ids), max_size=20))
def test_canonical_ids_of_the_run_match_the_judgements(pairs: list[tuple[str, str]]) -> None:
    sets = canon.UnionFind()
    judged = []
    for a, b in pairs:
        if a != b:
            judged.append(Judgement.make(a, b, Verdict.SAME, "algorithm:test"))
            sets.union(a, b)
    assert canon.canonical_ids(sets) == canon.clusters(judged)


def test_names_without_initials_share_one_empty_set() -> None:
    table = prepare(
        [
            {"id": "p1", "dataset": "d", "schema": "Person", "name": "Anna Weber"},
            {"id": "p2", "dataset": "d", "schema": "Person", "name": "Jan Kowalski"},
            {"id": "c1", "dataset": "d", "schema": "Company", "name": "Bank of America"},
        ]
    )
    records = Records.from_table(table)
    assert records.initials[0] is records.initials[1]
    assert records.initials[0] == frozenset()
    assert "boa" in records.initials[2]
