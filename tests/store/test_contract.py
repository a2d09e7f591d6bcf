"""One contract, every store backend: they must behave the same to their callers."""

from __future__ import annotations

from dataclasses import replace

import pytest
from followthemoney import model

from threadline.model.provenance import SourceInfo
from threadline.model.statement import StatementRow, entity_statements
from threadline.store.base import Store
from threadline.store.memory import MemoryStore


def _rows(schema: str, entity_id: str, dataset: str, seen: str, **props: str) -> list[StatementRow]:
    entity = model.make_entity(schema)
    entity.id = entity_id
    for prop, value in props.items():
        entity.add(prop, value)
    return entity_statements(entity, dataset, "sha-" + dataset, 7, seen)


def _source(dataset: str) -> SourceInfo:
    return SourceInfo(
        "sha-" + dataset, f"{dataset}.csv", dataset, 10, "csv", "2026-01-01T00:00:00", 3
    )


def test_write_and_read_back(store: Store) -> None:
    rows = _rows("Person", "p1", "a", "2026-01-01T00:00:00", name="Jane Doe", birthDate="1970")
    with store.writer() as writer:
        writer.add(rows)
        writer.add_source(_source("a"))
    found = store.statements_for(["p1", "missing"])
    assert set(found) == {"p1"}
    assert sorted(found["p1"]) == sorted(rows)
    assert store.count_statements() == 3
    assert [s.name for s in store.sources()] == ["a.csv"]


def test_same_statement_again_keeps_first_seen_and_moves_last_seen(store: Store) -> None:
    first = _rows("Person", "p1", "a", "2026-01-01T00:00:00", name="Jane Doe")
    again = _rows("Person", "p1", "a", "2026-02-01T00:00:00", name="Jane Doe")
    with store.writer() as writer:
        writer.add(first)
    with store.writer() as writer:
        writer.add(again)
    rows = store.statements_for(["p1"])["p1"]
    assert len(rows) == 2
    assert {r.first_seen for r in rows} == {"2026-01-01T00:00:00"}
    assert {r.last_seen for r in rows} == {"2026-02-01T00:00:00"}


def test_failed_transaction_writes_nothing(store: Store) -> None:
    with store.writer() as writer:
        writer.add(_rows("Person", "p0", "a", "2026-01-01T00:00:00", name="Kept"))
    with pytest.raises(RuntimeError), store.writer() as writer:
        writer.add(_rows("Person", "p1", "a", "2026-01-01T00:00:00", name="Lost"))
        writer.add_source(_source("a"))
        raise RuntimeError("boom")
    assert store.count_statements() == 2
    assert store.statements_for(["p1"]) == {}
    assert store.sources() == []


def test_iter_entities_groups_by_id_in_order_and_filters_dataset(store: Store) -> None:
    with store.writer() as writer:
        writer.add(_rows("Person", "b", "x", "t", name="B"))
        writer.add(_rows("Person", "a", "x", "t", name="A"))
        writer.add(_rows("Person", "a", "y", "t", name="A2"))
    groups = list(store.iter_entities())
    assert [g[0].entity_id for g in groups] == ["a", "b"]
    assert all(len({r.entity_id for r in g}) == 1 for g in groups)
    assert len(groups[0]) == 4
    only_y = list(store.iter_entities("y"))
    assert [[r.value for r in g if r.prop == "name"] for g in only_y] == [["A2"]]


def test_references_find_entities_pointing_here(store: Store) -> None:
    with store.writer() as writer:
        writer.add(_rows("Company", "c1", "x", "t", name="Acme"))
        writer.add(_rows("Person", "p1", "x", "t", name="Owner"))
        writer.add(_rows("Ownership", "o1", "x", "t", owner="p1", asset="c1"))
    refs = store.references("c1")
    assert [(r.entity_id, r.schema, r.prop) for r in refs] == [("o1", "Ownership", "asset")]
    assert store.references("nobody") == []


def test_referrers_are_the_entities_pointing_at_any_of_these(store: Store) -> None:
    with store.writer() as writer:
        writer.add(_rows("Company", "c1", "x", "t", name="Acme"))
        writer.add(_rows("Company", "c2", "x", "t", name="Beta"))
        writer.add(_rows("Person", "p1", "x", "t", name="Owner"))
        writer.add(_rows("Ownership", "o1", "x", "t", owner="p1", asset="c1"))
        writer.add(_rows("Ownership", "o2", "y", "t", owner="p1", asset="c2"))
        writer.add(_rows("Payment", "pay", "y", "t", payer="c2", beneficiary="c1"))
        # A name that is an id is text, not a reference.
        writer.add(_rows("Person", "p2", "x", "t", name="c1"))
    assert store.referrers(["c1"]) == {"o1", "pay"}
    assert store.referrers(["c2", "p1", "nobody"]) == {"o1", "o2", "pay"}
    assert store.referrers(["o1", "nobody"]) == set()
    assert store.referrers([]) == set()
    # More ids than one query takes, and than SQL backends look up one by one: the
    # answer is the same, and so is the next (no temporary table is left behind).
    for size in (1_200, 6_000):
        many = [f"x{n}" for n in range(size)] + ["c2"]
        assert store.referrers(many) == {"o2", "pay"}
        assert store.referrers(many) == {"o2", "pay"}


def test_source_recipe_round_trips_and_is_refreshed(store: Store) -> None:
    made = replace(_source("a"), recipe="r1")
    with store.writer() as writer:
        writer.add_source(made)
        writer.add_source(replace(_source("b"), recipe=None))
    assert [s.recipe for s in store.sources()] == ["r1", None]
    with store.writer() as writer:
        writer.add_source(replace(made, recipe="r2"))
    assert [s.recipe for s in store.sources()] == ["r2", None]


def test_dataset_counts(store: Store) -> None:
    with store.writer() as writer:
        writer.add(_rows("Person", "p1", "a", "t", name="One"))
        writer.add(_rows("Person", "p2", "a", "t", name="Two", birthDate="1980"))
        writer.add(_rows("Person", "p1", "b", "t", name="One"))
        writer.add_source(_source("a"))
    stats = {d.name: d for d in store.datasets()}
    assert (stats["a"].entities, stats["a"].statements, stats["a"].sources) == (2, 5, 1)
    assert (stats["b"].entities, stats["b"].statements, stats["b"].sources) == (1, 2, 0)
    assert [d.name for d in store.datasets()] == ["a", "b"]


def test_iter_ids_lists_each_entity_once_in_order(store: Store) -> None:
    with store.writer() as writer:
        writer.add(_rows("Person", "b", "x", "t", name="B"))
        writer.add(_rows("Person", "a", "x", "t", name="A"))
        writer.add(_rows("Person", "a", "y", "t", name="A2"))
    assert list(store.iter_ids()) == ["a", "b"]
    assert store.count_entities() == 2


def test_iter_entities_in_an_id_range(store: Store) -> None:
    with store.writer() as writer:
        for entity_id in ("a", "b", "c", "d"):
            writer.add(_rows("Person", entity_id, "x", "t", name=entity_id.upper()))
    ranged = [g[0].entity_id for g in store.iter_entities(first="b", last="c")]
    assert ranged == ["b", "c"]
    assert [g[0].entity_id for g in store.iter_entities(first="c")] == ["c", "d"]


def test_raw_tuples_are_accepted(store: Store) -> None:
    rows = _rows("Person", "p1", "a", "t", name="Raw")
    with store.writer() as writer:
        writer.add([tuple(r) for r in rows])
    assert sorted(store.statements_for(["p1"])["p1"]) == sorted(rows)


def test_iter_values_scans_typed_statements_in_entity_order(store: Store) -> None:
    with store.writer() as writer:
        writer.add(_rows("Ownership", "o1", "x", "t", owner="p1", asset="c1", startDate="2020"))
        writer.add(_rows("Company", "c1", "y", "t", name="Acme", address="Main St 1"))
        writer.add(_rows("Person", "p1", "x", "t", name="Owner"))
    rows = list(store.iter_values(["id", "entity", "date"]))
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert {r[1:] for r in rows if r[0] == "o1"} == {
        ("Ownership", "id", "id", "o1", "x"),
        ("Ownership", "owner", "entity", "p1", "x"),
        ("Ownership", "asset", "entity", "c1", "x"),
        ("Ownership", "startDate", "date", "2020", "x"),
    }
    assert {r[2] for r in rows if r[0] == "c1"} == {"id"}  # names and addresses not asked for
    assert list(store.iter_values(["address"])) == [
        ("c1", "Company", "address", "address", "Main St 1", "y")
    ]


def test_iter_batches_gives_every_statement_in_whole_entities(store: Store) -> None:
    rows = [
        row
        for n in range(12)
        for row in _rows("Person", f"p{n:02d}", "a", "2026-01-01", name=f"P {n}", birthDate="1970")
    ]
    with store.writer() as writer:
        writer.add(rows)
    light = sorted((r.entity_id, r.schema, r.prop, r.prop_type, r.value, r.dataset) for r in rows)
    for size in (1, 4, 5, 1000):
        batches = list(store.iter_batches(size=size))
        flat = [row for batch in batches for row in batch]
        assert sorted(flat) == light
        assert [r[0] for r in flat] == sorted(r[0] for r in flat)  # entity id order
        ends = [batch[-1][0] for batch in batches[:-1]]
        starts = [batch[0][0] for batch in batches[1:]]
        assert all(end != start for end, start in zip(ends, starts, strict=True))
        if size >= 3:  # an entity holds 3 statements: a batch ends right after one
            assert all(len(b) <= size + 2 for b in batches)
    only = [row for batch in store.iter_batches(props=["name"]) for row in batch]
    assert sorted(only) == [r for r in light if r[2] == "name"]
    assert list(MemoryStore().iter_batches()) == []
