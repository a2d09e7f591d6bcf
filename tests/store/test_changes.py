"""The change log, on every store backend: each write that changes what search shows
bumps the generation, in the same transaction, and names the entities it touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.store.test_contract import _rows, _source
from threadline.store.base import Store
from threadline.store.sql import SQLStore


def _ingest(store: Store, *ids: str) -> None:
    with store.writer() as writer:
        for entity_id in ids:
            writer.add(_rows("Person", entity_id, "a", "t", name=f"Name {entity_id}"))
        writer.add_source(_source("a"))


def test_a_new_store_is_at_generation_zero_and_each_file_is_one_more(store: Store) -> None:
    start = store.generation()
    assert start.number == 0
    _ingest(store, "p1", "p2")
    _ingest(store, "p3")
    now = store.generation()
    assert (now.store_id, now.number) == (start.store_id, 2)
    assert store.changes_since(0) == {"p1", "p2", "p3"}
    assert store.changes_since(1) == {"p3"}
    assert store.changes_since(2) == set()


def test_a_failed_write_changes_no_generation(store: Store) -> None:
    with pytest.raises(RuntimeError), store.writer() as writer:
        writer.add(_rows("Person", "p1", "a", "t", name="Lost"))
        raise RuntimeError("boom")
    assert store.generation().number == 0
    assert store.changes_since(0) == set()


def test_a_new_canonical_map_names_moved_records_and_their_old_and_new_heads(
    store: Store,
) -> None:
    _ingest(store, "a", "b", "c")
    before = store.generation().number
    store.judgements.set_canonical({"a": "a", "b": "a"}, [])
    assert store.changes_since(before) == {"a", "b"}
    middle = store.generation().number
    # c joins, and b leaves for a cluster of its own with c: a's document changes too.
    store.judgements.set_canonical({"b": "c", "c": "c"}, ["a", "b"])
    assert store.changes_since(middle) == {"a", "b", "c"}


def test_erasure_asks_for_a_rebuild_and_pruning_forgets(store: Store) -> None:
    _ingest(store, "p1", "p2")
    store.forget_changes(1)
    assert store.changes_since(1) == set()
    assert store.changes_since(0) is None  # pruned past: cannot tell
    store.erase(entity_ids=["p1"])
    assert store.generation().number == 2
    assert store.changes_since(1) is None  # an erasure: rebuild


def test_a_store_with_data_from_before_the_log_starts_at_one_changed_everything(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = SQLStore(url)
    _ingest(old, "p1")
    with old.engine.begin() as conn:  # what a store written before the log looks like
        conn.exec_driver_sql("DELETE FROM store_meta")
        conn.exec_driver_sql("DELETE FROM changes")
    old.close()
    reopened = SQLStore(url)
    assert reopened.generation().number == 1
    assert reopened.changes_since(0) is None
    reopened.close()
