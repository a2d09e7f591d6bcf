"""Large judgement writes, on every backend, against the in-memory reference: the
canonical map replaced whole or in part (read whole or in chunks), the change log of
the ids that moved, and rows that round-trip every column."""

from __future__ import annotations

import pytest

from threadline.resolve.judgement import Judgement, Verdict
from threadline.store import judgements as module
from threadline.store.base import Store
from threadline.store.judgements import JudgementChange, MemoryJudgements, ReviewItem


@pytest.fixture(params=["whole", "chunked"])
def reads(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Small chunks, and a map read whole above 5 ids ("whole") or never ("chunked")."""
    monkeypatch.setattr(module, "_CHUNK", 3)
    monkeypatch.setattr(module, "_WHOLE_MAP", 5 if request.param == "whole" else 10_000)
    return str(request.param)


def _changes() -> list[JudgementChange]:
    first = {f"e{i}": f"e{i - i % 4}" for i in range(20)}  # clusters of four
    second = {f"e{i}": f"e{i - i % 2}" for i in range(8, 30)}  # pairs, some new ids
    return [
        JudgementChange(canonical=first, cleared=()),
        # Replace the whole map: every old row is cleared.
        JudgementChange(canonical=second, cleared=set(first)),
        # Replace part of it: e8..e11 are cleared, e12 moves, the rest stays.
        JudgementChange(canonical={"e12": "e9", "e9": "e9"}, cleared={"e8", "e10", "e11"}),
        # Clear ids with no row, and map nothing new.
        JudgementChange(canonical={}, cleared={"e100", "e101", "e29"}),
    ]


def test_canonical_writes_match_the_reference(store: Store, reads: str) -> None:
    reference = MemoryJudgements()
    for change in _changes():
        before = store.generation().number
        store.judgements.apply(change)
        reference.apply(change)
        assert store.judgements.canonical_map() == reference.canonical_map()
        moved = reference._changes.log[reference._changes.number]
        assert store.changes_since(before) == moved
    assert reads in ("whole", "chunked")


def test_judgements_and_the_queue_round_trip(store: Store, reads: str) -> None:
    added = [
        Judgement.make(f"a{i}", f"b{i}", Verdict.SAME, "algorithm:x", score=i / 7)
        for i in range(10)
    ]
    added.append(Judgement.make("c", "d", Verdict.NOT_SAME, "ana", reason="not him"))
    queue = [ReviewItem(f"q{i}", f"r{i}", (i - 5) / 3, i) for i in range(7)]
    store.judgements.apply(
        JudgementChange(added=added, canonical={"a1": "a1", "b1": "a1"}, review=queue)
    )
    assert store.judgements.all() == sorted(added, key=lambda j: (j.created_at, j.id))
    for judgement in added:
        assert store.judgements.get(judgement.id) == judgement
    assert store.judgements.review(limit=100) == sorted(
        queue, key=lambda i: (abs(i.weight), i.left, i.right)
    )
    store.judgements.apply(JudgementChange(review=[]))
    assert store.judgements.review() == []
