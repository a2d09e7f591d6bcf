"""`threadline db current|upgrade|history` and `threadline recount` on a data directory."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, update

from tests.cli.runner import ok
from threadline.store.migrations import HEAD
from threadline.store.tables import dataset_counts


def test_db_current_upgrade_and_history(data: Path) -> None:
    current = ok(data, "db", "current", "--json").json()
    assert isinstance(current, dict)
    assert (current["current"], current["head"]) == (HEAD, HEAD)
    assert str(data / "store.sqlite3") in str(current["database"])
    upgraded = ok(data, "db", "upgrade").stderr
    assert f"at the newest revision, {HEAD}" in upgraded
    history = ok(data, "db", "history", "--json").lines()
    assert [r["revision"] for r in history][-1] == HEAD
    assert "Baseline" in ok(data, "db", "history").stdout


def test_recount_reports_and_fixes_drift(data: Path) -> None:
    right = ok(data, "datasets", "--json").lines()
    engine = create_engine(f"sqlite:///{data / 'store.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(update(dataset_counts).values(entities=0))
    engine.dispose()
    assert ok(data, "datasets", "--json").lines() != right
    drift = ok(data, "recount", "--json").lines()
    assert sorted(str(d["dataset"]) for d in drift) == ["leaks", "people"]
    assert ok(data, "datasets", "--json").lines() == right
    assert "no drift" in ok(data, "recount").stderr
