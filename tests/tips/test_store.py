"""The tip store's contract, on every SQL backend: SQLite file, SQLite in memory and
PostgreSQL (the session's real server)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from threadline.tips import SQLTipStore, TipError, TipFile, TipNotFound, TipStatus, new_tip

BACKENDS = ["sqlite-file", "sqlite-memory", "postgres"]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SQLTipStore]:
    if request.param == "sqlite-file":
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    elif request.param == "sqlite-memory":
        url = "sqlite://"
    else:
        url = request.getfixturevalue("postgres_url")
    backend = SQLTipStore(url)
    yield backend
    backend.close()


def _file(name: str, sha: str) -> TipFile:
    return TipFile("", 0, name, sha * 64, 10, "text")


def test_tips_round_trip_with_their_files_in_order(store: SQLTipStore) -> None:
    tip = new_tip("  Look at the harbour deal. ", [_file("b.txt", "b"), _file("a.txt", "a")], None)
    store.add(tip)
    found = store.tip(tip.id)
    assert found == tip and found.text == "Look at the harbour deal."
    assert [(f.position, f.name) for f in found.files] == [(1, "b.txt"), (2, "a.txt")]
    assert all(f.tip_id == tip.id for f in found.files) and found.client is None
    with pytest.raises(TipNotFound):
        store.tip("nope")


def test_the_queue_is_newest_first_and_filters_by_status(store: SQLTipStore) -> None:
    older = replace(new_tip("first", [], "10.0.0.1"), received_at="2026-01-01T00:00:00+00:00")
    newer = replace(new_tip("second", [], None), received_at="2026-02-01T00:00:00+00:00")
    store.add(older)
    store.add(newer)
    assert [t.id for t in store.tips()] == [newer.id, older.id]
    assert [t.id for t in store.tips(limit=1)] == [newer.id]
    assert store.tip(older.id).client == "10.0.0.1"
    store.decide(older.id, TipStatus.REJECTED, "uma", reason="spam")
    assert [t.id for t in store.tips(TipStatus.NEW)] == [newer.id]
    (rejected,) = store.tips(TipStatus.REJECTED)
    assert (rejected.decided_by, rejected.reason) == ("uma", "spam") and rejected.decided_at


def test_a_decision_is_taken_once(store: SQLTipStore) -> None:
    tip = new_tip("once", [], None)
    store.add(tip)
    opened = store.decide(tip.id, TipStatus.OPENED, "uma", case_id="c1", dataset="tip-x")
    assert (opened.status, opened.case_id, opened.dataset) == (TipStatus.OPENED, "c1", "tip-x")
    with pytest.raises(TipError, match="already opened as case c1 by uma"):
        store.decide(tip.id, TipStatus.REJECTED, "vic", reason="late")
    assert store.tip(tip.id) == opened
    with pytest.raises(TipError):
        store.decide(tip.id, TipStatus.NEW, "vic")


def test_an_empty_tip_is_refused() -> None:
    with pytest.raises(TipError, match="text"):
        new_tip("   ", [], None)
