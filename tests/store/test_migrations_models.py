"""The models and the migrations agree: a database built by running every revision has
exactly the tables, columns, types and indexes of the registered models (Alembic's
autogenerate comparison finds nothing to do). A change to a model without a revision,
or a revision without the change to its model, fails here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine

from threadline.app.schema import SCHEMA as schema
from threadline.store.migrations import runner
from threadline.store.sql import SQLStore


@pytest.fixture(params=["sqlite-file", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite-file":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, schema.target()))


def test_the_revisions_build_the_models(url: str) -> None:
    engine = create_engine(url)
    try:
        runner.upgrade(engine)
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_a_new_store_is_built_as_the_revisions_build_it(url: str) -> None:
    SQLStore(url, schema).close()  # the fast path: the models' create_all, stamped
    engine = create_engine(url)
    try:
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_every_registered_table_has_one_owner() -> None:
    owners = [set(m.tables) for m in schema.metadatas()]
    assert sum(len(o) for o in owners) == len(schema.target().tables)
