"""Revision 0003 (the sources' `recipe`): a store from before keeps its sources, whose
files a re-ingest then reads once more (no recipe: not known to be done)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, insert

from tests.store.test_migrations import engine, url  # noqa: F401 - fixtures
from threadline.store.migrations import HEAD, runner
from threadline.store.sql import SQLStore
from threadline.store.tables import sources


def test_a_store_at_0002_gets_the_recipe_column_and_keeps_its_sources(
    url: str,  # noqa: F811 - the fixture
    engine: Engine,  # noqa: F811 - the fixture
) -> None:
    with engine.begin() as conn:
        command.upgrade(runner.config(conn), "0002")
        row = {
            "sha256": "ab" * 32,
            "dataset": "leak",
            "name": "people.csv",
            "size": 10,
            "kind": "csv",
            "ingested_at": "2026-01-01T00:00:00",
            "records": 3,
        }
        conn.execute(insert(sources), row)  # the columns given: those 0002 has
    store = SQLStore(url)
    try:
        assert store.schema_upgrade == ("0002", HEAD)
        [kept] = store.sources()
        assert (kept.name, kept.records, kept.recipe) == ("people.csv", 3, None)
    finally:
        store.close()
