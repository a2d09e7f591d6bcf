"""`recount`: the counts per dataset kept in the store are rebuilt from its statements
and sources, and the datasets whose counts had drifted are reported, on SQLite and
PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, insert, update

from tests.store.test_counts import _ingest, counts
from threadline.store import counts as kept
from threadline.store.base import DatasetStats
from threadline.store.sql import SQLStore
from threadline.store.tables import dataset_counts


@pytest.fixture(params=["sqlite-file", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> SQLStore:
    url = (
        f"sqlite:///{tmp_path / 'store.sqlite3'}"
        if request.param == "sqlite-file"
        else str(request.getfixturevalue("postgres_url"))
    )
    made = SQLStore(url)
    request.addfinalizer(made.close)
    return made


def skew(store: SQLStore) -> None:
    """Make the kept counts wrong three ways: a wrong row, a missing one, a stray one."""
    c = dataset_counts.c
    with store.engine.begin() as conn:
        conn.execute(update(dataset_counts).where(c.dataset == "a").values(statements=99))
        conn.execute(delete(dataset_counts).where(c.dataset == "b"))
        row = {"dataset": "ghost", "statements": 3, "entities": 1, "sources": 0}
        conn.execute(insert(dataset_counts), [row])


def test_recount_fixes_skewed_counts_and_reports_them(store: SQLStore) -> None:
    _ingest(store)
    right = counts(store)
    skew(store)
    assert counts(store) != right
    with store.engine.begin() as conn:
        drift = kept.recount(conn)
    assert [(d.dataset, d.kept, d.counted) for d in drift] == [
        ("a", DatasetStats("a", 2, 99, 2), DatasetStats("a", 2, 5, 2)),
        ("b", None, DatasetStats("b", 1, 2, 0)),
        ("ghost", DatasetStats("ghost", 1, 3, 0), None),
    ]
    assert counts(store) == right
    with store.engine.begin() as conn:  # right now: nothing to report
        assert kept.recount(conn) == []
    _ingest(store)  # and writes keep adding to the rebuilt counts
    assert counts(store) == right


def test_recount_of_an_empty_store_finds_nothing(store: SQLStore) -> None:
    with store.engine.begin() as conn:
        assert kept.recount(conn) == []
    assert counts(store) == {}
