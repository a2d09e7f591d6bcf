"""The bulk read (statements as Arrow tables), on every store backend: the same rows as
`iter_batches`, whole entities per table, and the same match records as the per-entity
read (tests/resolve/conftest.py's oracle)."""

from __future__ import annotations

from itertools import pairwise

import pyarrow as pa
from followthemoney import model

from tests.resolve.conftest import per_entity_records
from threadline.model.statement import StatementRow, entity_statements
from threadline.resolve.extract import READ_PROPS, RecordReader
from threadline.store.base import Store
from threadline.store.bulkread import COLUMNS, SCHEMA, light_table, statement_tables


def _rows(
    schema: str, entity_id: str, dataset: str, **props: str | list[str]
) -> list[StatementRow]:
    entity = model.make_entity(schema)
    entity.id = entity_id
    for prop, value in props.items():
        entity.add(prop, value)
    return entity_statements(entity, dataset, "sha-" + dataset, 7, "2026-01-01T00:00:00")


def _fill(store: Store) -> None:
    with store.writer() as writer:
        writer.add(_rows("Address", "addr-1", "b", street="Ring 2", city="Ulm", country="de"))
        writer.add(_rows("Person", "p-1", "a", name=["Zoe Alt", "Ann Alt"], birthDate="1980"))
        writer.add(_rows("Person", "p-1", "b", idNumber=["ID2", "ID1"], addressEntity="addr-1"))
        writer.add(_rows("LegalEntity", "p-2", "a", name="Eve Ode", email="e@example.org"))
        writer.add(_rows("Company", "p-2", "b", jurisdiction="fr", registrationNumber=""))
        writer.add(_rows("Ownership", "own-1", "a", owner="p-1", asset="p-2"))
        writer.add(_rows("Person", "p-3", "c", firstName="Cy", lastName="Bo", phone="+49 1"))


def test_tables_hold_the_rows_of_iter_batches_in_whole_entities(store: Store) -> None:
    _fill(store)
    expected = [row for batch in store.iter_batches(props=READ_PROPS) for row in batch]
    for size in (1, 5, 50_000):
        tables = list(statement_tables(store, READ_PROPS, size=size))
        assert all(t.schema.equals(SCHEMA) for t in tables)
        found = [tuple(r[c] for c in COLUMNS) for t in tables for r in t.to_pylist()]
        assert found == expected
        order = [o for t in tables for o in t.column("ord").to_pylist()]
        assert order == list(range(len(expected)))
        for before, after in pairwise(tables):  # no entity is parted
            assert before.column("entity_id")[-1] != after.column("entity_id")[0]


def test_records_read_in_bulk_equal_the_per_entity_ones(store: Store) -> None:
    _fill(store)
    expected = per_entity_records(list(store.iter_entities()))
    assert expected.column("id").to_pylist() == ["p-1", "p-2", "p-3"]
    for size in (1, 50_000):
        reader = RecordReader()
        for table in statement_tables(store, READ_PROPS, size=size):
            reader.add_table(table)
        records = reader.finish()
        assert records.table.equals(expected)
        assert len(set(records.fingerprints)) == 3
    only_c = RecordReader(frozenset({"c"}))
    for table in statement_tables(store, READ_PROPS):
        only_c.add_table(table)
    assert only_c.finish().table.equals(per_entity_records(list(store.iter_entities()), {"c"}))


def test_an_empty_read() -> None:
    assert light_table([]).schema.equals(SCHEMA)
    assert RecordReader().finish().table.num_rows == 0
    assert isinstance(RecordReader().finish().table, pa.Table)
