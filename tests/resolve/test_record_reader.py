"""The bulk record reader, fed light rows directly: it gives what the per-entity path
(`match_row`) gives, and fingerprints keep their documented form."""

from __future__ import annotations

import hashlib
from itertools import groupby

from tests.resolve.conftest import per_entity_records
from threadline.model.statement import BASE_PROP, StatementRow
from threadline.resolve.extract import RecordReader
from threadline.store.base import LightRow


def _row(entity_id: str, schema: str, prop: str, prop_type: str, value: str, ds: str) -> LightRow:
    return (entity_id, schema, prop, prop_type, value, ds)


# Store order: by entity id, each entity's rows in statement order.
ROWS: list[LightRow] = [
    _row("a-addr", "Address", BASE_PROP, "id", "a-addr", "x"),
    _row("a-addr", "Address", "street", "string", "Ring 2", "x"),
    _row("a-addr", "Address", "city", "string", "Ulm", "x"),
    # Two schemata: the most specific one (Person) wins.
    _row("b-1", "LegalEntity", BASE_PROP, "id", "b-1", "y"),
    _row("b-1", "Person", "name", "name", "Zoe Alt", "y"),
    _row("b-1", "Person", "name", "name", "Ann Alt", "x"),
    _row("b-1", "LegalEntity", "email", "email", "b@example.org", "y"),
    _row("b-1", "Person", "idNumber", "identifier", "ID2", "y"),
    _row("b-1", "Person", "passportNumber", "identifier", "ID1", "y"),
    _row("b-1", "Person", "idNumber", "identifier", "ID2", "x"),
    _row("b-1", "Person", "nationality", "country", "fr", "y"),
    _row("b-1", "Person", "country", "country", "de", "y"),
    _row("b-1", "Person", "addressEntity", "entity", "a-addr", "y"),
    # Empty values: an empty name is a first value; an empty identifier is none.
    _row("c-1", "Person", BASE_PROP, "id", "c-1", "y"),
    _row("c-1", "Person", "name", "name", "", "y"),
    _row("c-1", "Person", "name", "name", "Cy", "y"),
    _row("c-1", "Person", "idNumber", "identifier", "", "y"),
    _row("c-1", "Person", "phone", "phone", "+49 1", "y"),
    _row("c-1", "Person", "birthDate", "date", "1980", "y"),
    _row("c-1", "Person", "birthDate", "date", "1979-05", "y"),
    # Not matched: no record.
    _row("d-1", "Ownership", BASE_PROP, "id", "d-1", "x"),
    _row("d-1", "Ownership", "owner", "entity", "b-1", "x"),
    _row("e-1", "Company", BASE_PROP, "id", "e-1", "x"),
    _row("e-1", "Company", "name", "name", "Eco AG", "x"),
    _row("e-1", "Company", "jurisdiction", "country", "ch", "x"),
    _row("e-1", "Company", "incorporationDate", "date", "2001", "x"),
    _row("e-1", "Company", "registrationNumber", "identifier", "HRB 1", "x"),
    _row("e-1", "Company", "addressEntity", "entity", "nowhere", "x"),
]


def _statements(rows: list[LightRow]) -> list[StatementRow]:
    return [
        StatementRow(e, f"s{n}", s, p, t, v, None, None, d, "src", None, "t", "t")
        for n, (e, s, p, t, v, d) in enumerate(rows)
    ]


def _per_entity(rows: list[LightRow], datasets: set[str] | None = None) -> list[dict[str, object]]:
    groups = [list(g) for _, g in groupby(_statements(rows), key=lambda r: r.entity_id)]
    return list(per_entity_records(groups, datasets).to_pylist())


def _bulk(rows: list[LightRow], size: int, datasets: set[str] | None = None) -> RecordReader:
    reader = RecordReader(frozenset(datasets) if datasets else None)
    batch: list[LightRow] = []
    for _, group in groupby(rows, key=lambda r: r[0]):
        batch.extend(group)
        if len(batch) >= size:
            reader.add(batch)
            batch = []
    reader.add(batch)
    return reader


def test_bulk_records_equal_the_per_entity_ones() -> None:
    expected = _per_entity(ROWS)
    assert [r["id"] for r in expected] == ["b-1", "c-1", "e-1"]
    for size in (1, 4, 1_000):
        assert _bulk(ROWS, size).finish().table.to_pylist() == expected
    for datasets in ({"x"}, {"y"}, {"z"}):
        found = _bulk(ROWS, 1_000, datasets).finish().table.to_pylist()
        assert found == _per_entity(ROWS, datasets)


def test_bulk_records_take_first_values_and_join_identifiers() -> None:
    records = {r["id"]: r for r in _bulk(ROWS, 1_000).finish().table.to_pylist()}
    b, c, e = records["b-1"], records["c-1"], records["e-1"]
    assert (b["schema"], b["dataset"], b["name"]) == ("Person", "x", "Ann Alt")
    assert b["identifier"] == "ID1\x1fID2"
    assert (b["country"], b["email"]) == ("de", "b@example.org")
    assert (b["address"], b["city"]) == ("Ring 2", "Ulm")  # lent by its Address
    assert (c["name"], c["identifier"]) == ("", None)
    assert (c["birth_date"], c["phone"]) == ("1979-05", "+49 1")
    assert (e["birth_date"], e["country"]) == ("2001", "ch")
    assert (e["identifier"], e["city"]) == ("HRB 1", None)


def test_fingerprints_hash_the_facts_and_the_address_lent() -> None:
    records = _bulk(ROWS, 1_000).finish()
    fingerprints = dict(zip(records.ids, records.fingerprints, strict=True))

    def facts(entity_id: str) -> str:
        return "\x1e".join("\x1f".join(r[1:]) for r in ROWS if r[0] == entity_id)

    def sha1(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    assert fingerprints["c-1"] == sha1(facts("c-1"))
    assert fingerprints["e-1"] == sha1(facts("e-1"))  # its Address is unknown
    lent = "\x1f".join(["Ring 2", "", "Ulm", ""])  # line, postcode, city, country
    assert fingerprints["b-1"] == sha1(sha1(facts("b-1")) + lent)
