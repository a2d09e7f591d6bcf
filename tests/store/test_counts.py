"""Counts per dataset, every backend: kept on write, never counted twice, and the same as
counting the statements afresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney import model
from sqlalchemy import select

from threadline.model.provenance import SourceInfo
from threadline.model.statement import StatementRow, entity_statements
from threadline.store.base import Store
from threadline.store.sql import SQLStore
from threadline.store.tables import dataset_counts

Counts = dict[str, tuple[int, int, int]]  # dataset: (entities, statements, sources)


def _rows(
    entity_id: str, dataset: str, seen: str = "2026-01-01", **props: str
) -> list[StatementRow]:
    entity = model.make_entity("Person")
    entity.id = entity_id
    for prop, value in props.items():
        entity.add(prop, value)
    return entity_statements(entity, dataset, "sha-" + dataset, 1, seen)


def _source(dataset: str, sha: str = "sha", records: int = 1) -> SourceInfo:
    return SourceInfo(sha, f"{sha}.csv", dataset, 10, "csv", "2026-01-01T00:00:00", records)


def counts(store: Store) -> Counts:
    return {d.name: (d.entities, d.statements, d.sources) for d in store.datasets()}


def recount(store: Store) -> Counts:
    """The counts the slow way, from what `iter_entities` and `sources` give."""
    found: dict[str, list[int]] = {}
    for group in store.iter_entities():
        for row in group:
            entry = found.setdefault(row.dataset, [0, 0, 0])
            entry[1] += 1
            entry[0] += row.prop == "id"
    for source in store.sources():
        if source.dataset in found:
            found[source.dataset][2] += 1
    return {name: (e, s, f) for name, (e, s, f) in found.items()}


def _ingest(store: Store) -> None:
    with store.writer() as writer:
        writer.add(_rows("p1", "a", name="One") + _rows("p2", "a", name="Two", birthDate="1980"))
        writer.add(_rows("p1", "b", name="One"))
        writer.add_source(_source("a", "sha1"))
        writer.add_source(_source("a", "sha2"))


def test_counts_after_ingest(store: Store) -> None:
    _ingest(store)
    assert counts(store) == {"a": (2, 5, 2), "b": (1, 2, 0)}
    assert counts(store) == recount(store)


def test_the_same_statements_again_are_not_counted_twice(store: Store) -> None:
    _ingest(store)
    _ingest(store)  # the same file again: every statement known
    with store.writer() as writer:  # known and new in one batch, and a duplicate in it
        again = _rows("p1", "a", "2026-03-01", name="One", birthDate="1970")
        writer.add(again + again + _rows("p3", "a", name="Three"))
        writer.add_source(_source("a", "sha1", records=9))  # a known file refreshed
    assert counts(store) == {"a": (3, 8, 2), "b": (1, 2, 0)}
    assert counts(store) == recount(store)
    seen = {(r.prop, r.first_seen, r.last_seen) for r in store.statements_for(["p1"])["p1"]}
    assert seen == {  # b's were not seen again; a's known ones moved, birthDate is new
        ("id", "2026-01-01", "2026-01-01"),
        ("name", "2026-01-01", "2026-01-01"),
        ("id", "2026-01-01", "2026-03-01"),
        ("name", "2026-01-01", "2026-03-01"),
        ("birthDate", "2026-03-01", "2026-03-01"),
    }


def test_a_failed_write_leaves_the_counts(store: Store) -> None:
    _ingest(store)
    with pytest.raises(RuntimeError), store.writer() as writer:
        writer.add(_rows("p9", "a", name="Lost") + _rows("p9", "c", name="Lost"))
        writer.add_source(_source("c"))
        raise RuntimeError("boom")
    assert counts(store) == {"a": (2, 5, 2), "b": (1, 2, 0)}


def test_erasing_a_dataset_removes_its_counts(store: Store) -> None:
    _ingest(store)
    touched, deleted = store.erase(dataset="a")
    assert (touched, deleted) == ({"p1", "p2"}, 5)
    assert counts(store) == {"b": (1, 2, 0)}
    _ingest(store)  # written again from nothing
    assert counts(store) == {"a": (2, 5, 2), "b": (1, 2, 0)}


def test_erasing_entities_takes_their_statements_from_each_dataset(store: Store) -> None:
    _ingest(store)
    store.erase(entity_ids=["p1"])
    assert counts(store) == {"a": (1, 3, 2)}  # b held only p1: listed no more
    assert counts(store) == recount(store)
    store.erase(dataset="a", entity_ids=["p2", "missing"])
    assert counts(store) == {}
    with store.writer() as writer:
        writer.add(_rows("p1", "b", name="One"))
    assert counts(store) == {"b": (1, 2, 0)}


def test_an_entity_in_several_datasets_counts_once_in_each(store: Store) -> None:
    with store.writer() as writer:
        for dataset in ("a", "b", "c"):
            writer.add(_rows("p1", dataset, name="One", nationality="fr"))
    assert counts(store) == {d: (1, 3, 0) for d in ("a", "b", "c")}
    assert store.count_entities() == 1


def test_counts_without_statements_are_not_listed(store: Store) -> None:
    with store.writer() as writer:
        writer.add_source(_source("empty"))  # a file that gave no records
    assert counts(store) == {}


@pytest.mark.parametrize("backend", ["sqlite-file", "postgres"])
def test_a_store_made_before_the_counts_table_is_counted_on_open(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = (
        f"sqlite:///{tmp_path}/old.sqlite3"
        if backend == "sqlite-file"
        else request.getfixturevalue("postgres_url")
    )
    store = SQLStore(url)
    _ingest(store)
    with store.engine.begin() as conn:  # what a store written by an earlier version lacks
        conn.exec_driver_sql("DROP TABLE dataset_counts")
        conn.exec_driver_sql("DROP TABLE alembic_version")  # made before migrations too
        conn.exec_driver_sql("DELETE FROM store_meta WHERE name = 'counts'")
    store.close()
    reopened = SQLStore(url)
    try:
        assert counts(reopened) == {"a": (2, 5, 2), "b": (1, 2, 0)}
        _ingest(reopened)  # kept from then on, and counted only once
        with reopened.writer() as writer:
            writer.add(_rows("p3", "b", name="Three"))
        assert counts(reopened) == {"a": (2, 5, 2), "b": (2, 4, 0)}
        with reopened.engine.connect() as conn:
            stored = conn.execute(select(dataset_counts.c.dataset)).scalars().all()
        assert sorted(stored) == ["a", "b"]
        with reopened.engine.begin() as conn:  # a mark only this test leaves
            conn.execute(dataset_counts.update().values(sources=7))
    finally:
        reopened.close()
    third = SQLStore(url)
    try:
        assert counts(third) == {"a": (2, 5, 7), "b": (2, 4, 7)}  # counted once, not again
    finally:
        third.close()


def test_a_statement_twice_in_a_write_counts_once_and_the_later_sighting_wins(
    store: Store,
) -> None:
    with store.writer() as writer:
        writer.add(_rows("p1", "a", "2026-01-01", name="One"))
    with store.writer() as writer:
        writer.add(_rows("p1", "a", "2026-02-01", name="One"))  # all known
        writer.add(_rows("p2", "a", "2026-02-01") + _rows("p2", "a", "2026-03-01"))  # new, twice
        writer.add(_rows("p1", "a", "2026-04-01") + _rows("p1", "a", "2026-05-01"))  # known, twice
    assert counts(store) == {"a": (2, 3, 0)}
    seen = {
        (r.entity_id, r.prop, r.first_seen, r.last_seen) for g in store.iter_entities() for r in g
    }
    assert seen == {
        ("p1", "id", "2026-01-01", "2026-05-01"),
        ("p1", "name", "2026-01-01", "2026-02-01"),
        ("p2", "id", "2026-02-01", "2026-03-01"),
    }
