"""The tip store's contract, on every SQL backend: SQLite file, SQLite in memory and
PostgreSQL (the session's real server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from threadline.tips import SQLTipStore, Tip, TipError, TipFile, TipNotFound, TipStatus, new_tip


@pytest.fixture
def store(store_url: str) -> Iterator[SQLTipStore]:
    """The store on each backend in turn (`tests.store_urls`)."""
    backend = SQLTipStore(store_url)
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


def test_of_two_claims_at_once_exactly_one_wins(store: SQLTipStore, store_url: str) -> None:
    """Two stores (two engines, as two server processes have) claim one tip at the
    same moment, many times over: each time exactly one claim is taken."""
    if store_url == "sqlite://":
        pytest.skip("an in-memory database is private to its engine")
    other = SQLTipStore(store_url)
    try:
        for _ in range(10):
            tip = new_tip("claim me", [], None)
            store.add(tip)
            start = threading.Barrier(2)

            def claim(
                backend: SQLTipStore, by: str, start: threading.Barrier = start, tip: Tip = tip
            ) -> str | None:
                start.wait()
                return backend.claim(tip.id, by, "2000-01-01")

            with ThreadPoolExecutor(2) as pool:
                claims = list(pool.map(claim, (store, other), ("uma", "noor")))
            assert sum(c is not None for c in claims) == 1, claims
            assert store.tip(tip.id).status is TipStatus.OPENING
    finally:
        other.close()


def test_a_claim_is_released_taken_over_when_stale_and_closed_by_its_decision(
    store: SQLTipStore,
) -> None:
    tip = new_tip("open me", [], None)
    store.add(tip)
    first = store.claim(tip.id, "uma", "2000-01-01")
    assert first is not None and store.claim(tip.id, "noor", "2000-01-01") is None
    with pytest.raises(TipError, match="being opened as a case by uma"):
        store.decide(tip.id, TipStatus.REJECTED, "noor", reason="late")
    store.note_case(tip.id, first, "c1", "tip-x")
    store.release(tip.id, first)
    released = store.tip(tip.id)
    assert (released.status, released.case_id, released.decided_by) == (TipStatus.NEW, "c1", None)
    second = store.claim(tip.id, "uma", "2000-01-01")
    assert second is not None
    # A claim older than the cut-off belongs to a call that died: another takes it over.
    third = store.claim(tip.id, "noor", "9999-01-01")
    assert third is not None and store.tip(tip.id).decided_by == "noor"
    store.release(tip.id, second)  # the dead call's claim is no longer the tip's
    with pytest.raises(TipError):
        store.decide(tip.id, TipStatus.OPENED, "uma", case_id="c1", claim=second)
    opened = store.decide(tip.id, TipStatus.OPENED, "noor", case_id="c1", claim=third)
    assert (opened.status, opened.decided_by) == (TipStatus.OPENED, "noor")


def test_adding_a_tip_whose_id_is_taken_keeps_the_first(store: SQLTipStore) -> None:
    tip = new_tip("first", [_file("a.txt", "a")], None)
    assert store.add(tip) is True
    assert store.add(replace(tip, text="second")) is False
    assert store.tip(tip.id).text == "first" and len(store.tips()) == 1


def test_naming_redaction_and_retention_queries(store: SQLTipStore) -> None:
    old, cut, late = "2026-01-01T00:00:00+00:00", "2026-03-01", "2026-06-01T00:00:00+00:00"
    shared = _file("maria-lopez.pdf", "c")
    named = replace(new_tip("Ask MARIA lopez 100% about it", [shared], "10.0.0.7"), received_at=old)
    other = replace(new_tip("nothing here", [shared, _file("b.txt", "b")], None), received_at=old)
    rejected = replace(new_tip("rejected", [], None), received_at=old)
    young = replace(new_tip("young", [], None), received_at=late)
    opened = replace(new_tip("opened long ago", [_file("d.txt", "d")], None), received_at=old)
    for tip in (named, other, rejected, young, opened):
        store.add(tip)
    store.decide(rejected.id, TipStatus.REJECTED, "uma", reason="about Maria Lopez")
    store.decide(opened.id, TipStatus.OPENED, "uma", case_id="c1")
    assert {t.id for t in store.naming(["Maria Lopez"])} == {named.id, rejected.id}
    assert [t.id for t in store.naming(["100%"])] == [named.id]  # no wildcards
    assert [t.id for t in store.naming([], ["10.0.0.7"])] == [named.id]
    assert store.naming([]) == []
    # Redaction: the values blanked, the address and the files gone; the bytes of a file
    # another tip still has are not handed back for deletion.
    assert store.redact(named.id, ["Maria Lopez"]) == set()
    redacted = store.tip(named.id)
    assert (redacted.text, redacted.client, redacted.files) == (
        "Ask [erased] 100% about it",
        None,
        (),
    )
    # Retention: new tips by arrival, rejected ones by rejection (just now: kept).
    assert {t.id for t in store.expired(cut)} == {named.id, other.id}
    assert store.remove([other.id, opened.id]) == {"c" * 64, "b" * 64}
    assert {t.id for t in store.tips()} == {named.id, rejected.id, young.id, opened.id}
    assert store.referenced(["d" * 64, "b" * 64]) == {"d" * 64}
