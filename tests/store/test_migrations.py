"""Schema migrations on open, on SQLite and PostgreSQL: a new database is created at the
head, one made before the migrations is checked and stamped, an older one is upgraded,
and one from a newer threadline is refused by name."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, select, text

from tests.store.test_counts import _ingest, counts
from threadline.app.schema import SCHEMA as schema
from threadline.store.migrations import HEAD, SchemaError, runner
from threadline.store.migrations.versioning import version_table
from threadline.store.sql import SQLStore

BACKENDS = ["sqlite-file", "postgres"]


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite-file":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    made = create_engine(url)
    yield made
    made.dispose()


def _version(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(version_table.c.version_num)).scalars())


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_the_head_constant_is_alembics_head() -> None:
    assert runner.head() == HEAD
    assert [r.revision for r in runner.history()][-1] == HEAD


def test_a_new_database_is_created_at_the_head(url: str, engine: Engine) -> None:
    store = SQLStore(url)
    try:
        assert store.schema_upgrade == (None, HEAD)
        _ingest(store)
        assert counts(store)["a"] == (2, 5, 2)
    finally:
        store.close()
    assert _version(engine) == [HEAD]
    assert _tables(engine) == {*schema.target().tables, "alembic_version"}
    again = SQLStore(url)  # at the head: left alone
    try:
        assert again.schema_upgrade is None
        assert counts(again)["a"] == (2, 5, 2)
    finally:
        again.close()


def test_a_database_from_before_the_migrations_is_stamped_and_kept(
    url: str, engine: Engine
) -> None:
    # What an earlier threadline left: the baseline's tables, made by create_all, but
    # not those of parts it never used, its data, and no version table.
    first = SQLStore(url)
    _ingest(first)
    first.close()
    unused = ["watch_deliveries", "watch_alerts", "watch_feed", "watch_seen", "watch_watches"]
    with engine.begin() as conn:
        for name in ["alembic_version", *unused, "signin_attempts", "signin_pairs"]:
            conn.execute(text(f"DROP TABLE {name}"))
    assert "alembic_version" not in _tables(engine)

    store = SQLStore(url)
    try:
        assert store.schema_upgrade == (None, HEAD)
        assert counts(store) == {"a": (2, 5, 2), "b": (1, 2, 0)}  # nothing lost
        _ingest(store)  # and it still takes writes
        assert counts(store) == {"a": (2, 5, 2), "b": (1, 2, 0)}
    finally:
        store.close()
    assert _version(engine) == [HEAD]
    assert _tables(engine) == {*schema.target().tables, "alembic_version"}


def test_a_sessions_table_from_before_epochs_gets_its_column(url: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE web_sessions (digest VARCHAR(64) PRIMARY KEY, "
                "user_name VARCHAR(64) NOT NULL, csrf VARCHAR(64) NOT NULL, "
                "expires VARCHAR(32) NOT NULL, case_id VARCHAR(64), purpose VARCHAR(1000))"
            )
        )
        conn.execute(text("INSERT INTO web_sessions VALUES ('d', 'ann', 'c', 'x', NULL, NULL)"))
    SQLStore(url).close()
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT user_name, epoch FROM web_sessions")).all()
    assert [tuple(r) for r in rows] == [("ann", -1)]  # the old session is over
    assert _version(engine) == [HEAD]


def test_a_table_that_is_not_threadlines_is_refused_by_name(url: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE sources (sha256 VARCHAR(64), other TEXT)"))
    with pytest.raises(SchemaError) as caught:
        SQLStore(url)
    message = str(caught.value)
    assert engine.url.database is not None and engine.url.database in message
    assert "sources.dataset" in message and "sources.name" in message
    assert "alembic_version" not in _tables(engine) or _version(engine) == []  # not stamped


def test_a_database_at_an_older_revision_is_upgraded_on_open(url: str, engine: Engine) -> None:
    with engine.begin() as conn:
        command.upgrade(runner.config(conn), "0001")
    assert _version(engine) == ["0001"]
    assert "tip_tips" not in _tables(engine)
    store = SQLStore(url)
    try:
        assert store.schema_upgrade == ("0001", HEAD)
    finally:
        store.close()
    assert _version(engine) == [HEAD]
    assert _tables(engine) == {*schema.target().tables, "alembic_version"}


def test_a_database_from_a_newer_threadline_is_refused(url: str, engine: Engine) -> None:
    SQLStore(url).close()
    with engine.begin() as conn:
        conn.execute(version_table.update().values(version_num="9999_future"))
    with pytest.raises(SchemaError) as caught:
        SQLStore(url)
    message = str(caught.value)
    assert engine.url.database is not None and engine.url.database in message
    assert "'9999_future'" in message and f"'{HEAD}'" in message
    assert "newer threadline" in message
    assert _version(engine) == ["9999_future"]  # left as it was


def test_upgrade_is_idempotent(url: str, engine: Engine) -> None:
    SQLStore(url).close()
    assert runner.upgrade(engine) == (HEAD, HEAD)
    assert runner.upgrade(engine) == (HEAD, HEAD)
    assert _version(engine) == [HEAD]
    assert runner.current(engine) == HEAD


def test_alembic_upgrades_an_empty_database_to_the_head(url: str, engine: Engine) -> None:
    """The slow path (every revision through Alembic) gives what the fast path does."""
    assert runner.upgrade(engine) == (None, HEAD)
    assert _tables(engine) == {*schema.target().tables, "alembic_version"}
    store = SQLStore(url)
    try:
        assert store.schema_upgrade is None
        _ingest(store)
        assert counts(store)["b"] == (1, 2, 0)
    finally:
        store.close()


def test_stores_opened_at_once_on_a_new_database_all_open(url: str, engine: Engine) -> None:
    errors: list[BaseException] = []
    opened: list[SQLStore] = []

    def open_one() -> None:
        try:
            opened.append(SQLStore(url))
        except BaseException as error:  # collected: a thread's error would be lost
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in opened:
        store.close()
    assert errors == []
    assert _version(engine) == [HEAD]
