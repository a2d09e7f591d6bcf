"""Search never answers from a stale index: a store write whose index update never
happened (the process was killed in between) is caught up on the next search."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney import model

from tests.conftest import entity, write_entities
from threadline.app import indexer
from threadline.app.workbench import Workbench
from threadline.errors import IndexBehind
from threadline.model.statement import entity_statements
from threadline.progress import NoProgress


def _committed_without_index(bench: Workbench, entity_id: str, name: str) -> None:
    """What a kill after the store's commit and before the index's leaves behind."""
    proxy = model.make_entity("Person")
    proxy.id = entity_id
    proxy.add("name", name)
    with bench.store.writer() as writer:
        writer.add(entity_statements(proxy, "late", "sha-late", 1, "2026-01-01T00:00:00"))


@pytest.fixture
def loaded(bench: Workbench, tmp_path: Path) -> Workbench:
    people = [
        entity("a", "Person", name="Anna Novak"),
        entity("b", "Person", name="Anna Novack"),
        entity("c", "Person", name="Boris Petrov"),
    ]
    bench.ingest([write_entities(tmp_path / "people.ijson", people)], "people")
    return bench


def _ids(bench: Workbench, query: str) -> list[str]:
    return sorted(hit.id for hit in bench.search(query, limit=50).hits)


def test_an_ingest_the_index_missed_is_caught_up_by_the_next_search(loaded: Workbench) -> None:
    _committed_without_index(loaded, "d", "Greta Weber")
    store = loaded.store.generation()
    assert loaded.index.generation() != (store.store_id, store.number)
    assert _ids(loaded, "greta") == ["d"]
    assert loaded.index.generation() == (store.store_id, store.number)


def test_a_merge_the_index_missed_shows_once_after_catching_up(loaded: Workbench) -> None:
    assert _ids(loaded, "anna") == ["a", "b"]
    loaded.store.judgements.set_canonical({"a": "a", "b": "a"}, [])
    assert _ids(loaded, "anna") == ["a"]
    # Undone: the canonical record's document loses the member, which shows again.
    loaded.store.judgements.set_canonical({}, ["a", "b"])
    assert _ids(loaded, "anna") == ["a", "b"]


def test_an_erasure_the_index_missed_is_gone_from_search(loaded: Workbench) -> None:
    loaded.store.erase(entity_ids=["c"])
    assert _ids(loaded, "boris") == []
    assert _ids(loaded, "anna") == ["a", "b"]


def test_an_index_that_records_no_generation_is_rebuilt(loaded: Workbench) -> None:
    loaded.index.clear()  # an index from before generations, or one half deleted
    assert loaded.index.generation() is None
    assert _ids(loaded, "anna") == ["a", "b"]


def test_too_far_behind_says_so_and_how_to_fix_it(loaded: Workbench) -> None:
    _committed_without_index(loaded, "d", "Greta Weber")
    _committed_without_index(loaded, "e", "Hans Weber")
    store, index = loaded.store, loaded.index
    with pytest.raises(IndexBehind, match=r"2 entities changed.*threadline reindex"):
        indexer.catch_up(store, index, loaded.settings, NoProgress(), limit=1)
    assert loaded.reindex() == 5
    assert _ids(loaded, "weber") == ["d", "e"]


def test_the_change_log_is_pruned_once_the_index_has_caught_up(loaded: Workbench) -> None:
    _committed_without_index(loaded, "d", "Greta Weber")
    number = loaded.store.generation().number
    assert loaded.store.changes_since(number - 1) == {"d"}
    loaded.search("greta")  # catches up, but leaves pruning to the next writer
    assert loaded.store.changes_since(number - 1) == {"d"}
    indexer.catch_up(loaded.store, loaded.index, loaded.settings, NoProgress())
    assert loaded.store.changes_since(number - 1) is None  # forgotten: the index has it
    assert loaded.store.changes_since(number) == set()


def test_opening_an_index_leaves_its_schema_marker_alone(tmp_path: Path) -> None:
    # A process killed while rewriting the marker on every open left it empty, which
    # then read as "built by an older threadline" (found by the crash test).
    from threadline.search.tantivy_index import TantivyIndex

    TantivyIndex(tmp_path / "index")
    marker = next((tmp_path / "index").glob("threadline-schema"))
    before = marker.stat()
    TantivyIndex(tmp_path / "index")
    after = marker.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
