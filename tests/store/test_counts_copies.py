"""Counts through the paths that write statements or stores whole: a real ingest run
twice, an erasure through the workbench, a migration and a backup copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from tests.conftest import entity, write_entities
from tests.store.test_counts import _ingest, counts
from threadline.app.workbench import Workbench
from threadline.backup.files import copy_sqlite
from threadline.backup.migrate import copy_tables
from threadline.progress import NoProgress
from threadline.store import tables
from threadline.store.counts import MARKER
from threadline.store.sql import SQLStore


def test_ingesting_a_file_twice_counts_it_once(bench: Workbench, tmp_path: Path) -> None:
    people = [entity(f"p{n}", "Person", name=f"Person {n}", nationality="fr") for n in range(5)]
    owned = [entity("c1", "Company", name="Acme"), entity("c2", "Company", name="Beta")]
    bench.ingest([write_entities(tmp_path / "people.ijson", people)], "people")
    bench.ingest([write_entities(tmp_path / "owned.ijson", owned)], "owned")
    first = {d.name: (d.entities, d.statements, d.sources) for d in bench.datasets()}
    assert first == {"people": (5, 15, 1), "owned": (2, 4, 1)}
    bench.ingest([tmp_path / "people.ijson"], "people")
    assert {d.name: (d.entities, d.statements, d.sources) for d in bench.datasets()} == first
    bench.erase(dataset="owned")
    assert [d.name for d in bench.datasets()] == ["people"]


def _old_store(url: str) -> SQLStore:
    """A store with data whose counts table is missing, as an earlier version left it."""
    store = SQLStore(url)
    _ingest(store)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE dataset_counts")
        conn.exec_driver_sql("DROP TABLE alembic_version")  # made before migrations too
        conn.exec_driver_sql(f"DELETE FROM store_meta WHERE name = '{MARKER}'")
    return store


@pytest.mark.parametrize("old", [False, True], ids=["with-counts", "without-counts"])
@pytest.mark.parametrize("target", ["sqlite", "postgres"])
def test_a_migration_counts_the_copied_statements(
    old: bool, target: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    source_url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    if old:
        _old_store(source_url).close()
    else:
        store = SQLStore(source_url)
        _ingest(store)
        with store.engine.begin() as conn:  # wrong counts are not carried over
            conn.execute(tables.dataset_counts.update().values(statements=99))
        store.close()
    target_url = (
        f"sqlite:///{tmp_path / 'target.sqlite3'}"
        if target == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    source, dest = create_engine(source_url), create_engine(target_url)
    try:
        copies = copy_tables([(source, (tables.metadata,))], dest, NoProgress())
        with dest.connect() as conn:
            query = select(tables.store_meta.c.name).where(tables.store_meta.c.name == MARKER)
            marked = conn.execute(query).first() is not None
    finally:
        source.dispose()
        dest.dispose()
    assert "statements" in {c.name for c in copies}
    assert "dataset_counts" not in {c.name for c in copies}  # counted, not copied
    assert marked
    moved = SQLStore(target_url)
    try:
        assert counts(moved) == {"a": (2, 5, 2), "b": (1, 2, 0)}
    finally:
        moved.close()


def test_a_backup_copy_of_an_old_store_is_counted_when_opened(tmp_path: Path) -> None:
    original = tmp_path / "store.sqlite3"
    _old_store(f"sqlite:///{original}").close()
    copy_sqlite(original, tmp_path / "copy.sqlite3")
    copied = SQLStore(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    try:
        assert counts(copied) == {"a": (2, 5, 2), "b": (1, 2, 0)}
    finally:
        copied.close()
