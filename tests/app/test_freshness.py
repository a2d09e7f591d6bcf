"""A search asks the store for its generation only when SQLite says something was
committed since the last search: a write by another process (or connection) that the
index missed is still caught up by the next search."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tests.conftest import entity, write_entities
from tests.search.test_catch_up import _committed_without_index
from threadline.app.freshness import Freshness
from threadline.app.workbench import Workbench


def _ids(bench: Workbench, query: str) -> list[str]:
    return sorted(hit.id for hit in bench.search(query, limit=50).hits)


def test_another_workbench_s_unindexed_write_is_caught_up(tmp_path: Path) -> None:
    data = tmp_path / "data"
    people = [entity("a", "Person", name="Anna Novak")]
    with Workbench(data_dir=data) as reader, Workbench(data_dir=data) as writer:
        reader.ingest([write_entities(tmp_path / "people.ijson", people)], "people")
        assert _ids(reader, "anna") == ["a"]
        assert _ids(reader, "greta") == []  # the generation seen is now remembered
        _committed_without_index(writer, "d", "Greta Weber")
        assert _ids(reader, "greta") == ["d"]
        store = reader.store.generation()
        assert reader.index.generation() == (store.store_id, store.number)


def _table(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
    conn.close()


def _insert(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO t VALUES (1)")
    conn.close()


def test_the_counter_moves_with_every_commit_of_another_connection(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    _table(path)
    fresh = Freshness(f"sqlite:///{path}")
    first = fresh.version()
    assert first is not None and fresh.version() == first  # nothing committed
    fresh.note(first, ("store", 1))
    assert fresh.unchanged(fresh.version(), ("store", 1))
    assert not fresh.unchanged(fresh.version(), ("store", 0))  # the index lags
    _insert(path)
    assert not fresh.unchanged(fresh.version(), ("store", 1))
    fresh.close()


def test_a_file_put_in_the_store_s_place_is_not_taken_for_the_old(tmp_path: Path) -> None:
    path, other = tmp_path / "store.sqlite3", tmp_path / "restored.sqlite3"
    _table(path)
    _table(other)
    fresh = Freshness(f"sqlite:///{path}")
    before = fresh.version()
    fresh.note(before, ("store", 1))
    os.replace(other, path)  # a restore
    assert not fresh.unchanged(fresh.version(), ("store", 1))
    fresh.close()


def test_without_a_sqlite_file_the_store_is_always_asked(tmp_path: Path) -> None:
    for url in ("sqlite://", "postgresql+psycopg://u@h/db", f"sqlite:///{tmp_path / 'none'}"):
        fresh = Freshness(url)
        assert fresh.version() is None
        fresh.note(None, ("store", 1))
        assert not fresh.unchanged(None, ("store", 1))
        fresh.close()
