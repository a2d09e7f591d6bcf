"""A judgement change is written whole, on every backend: the judgements, the canonical
map and the review queue move together, or nothing moves."""

from __future__ import annotations

import pytest

from threadline.resolve.judgement import Judgement, Verdict
from threadline.store.base import Store
from threadline.store.judgements import JudgementChange, ReviewItem


def test_one_change_writes_judgements_canonical_map_and_queue(store: Store) -> None:
    judgements = store.judgements
    old = Judgement.make("a", "c", Verdict.SAME, "algorithm:x", score=0.9)
    judgements.apply(
        JudgementChange(
            added=[old],
            canonical={"a": "a", "c": "a"},
            review=[ReviewItem("a", "b", 0.5, 1), ReviewItem("b", "d", 1.0, 2)],
        )
    )
    new = Judgement.make("a", "b", Verdict.SAME, "ana")
    judgements.apply(
        JudgementChange(
            added=[new],
            deleted={old.id},
            deleted_at="2026-12-06T00:00:00Z",
            deleted_by="ana",
            canonical={"a": "a", "b": "a"},
            cleared={"a", "b", "c"},
            unqueued=[("b", "a")],
        )
    )
    assert [j.id for j in judgements.all()] == [new.id]
    gone = judgements.get(old.id)
    assert gone is not None and gone.deleted_by == "ana"
    assert judgements.canonical_map() == {"a": "a", "b": "a"}
    assert [(i.left, i.right) for i in judgements.review()] == [("b", "d")]


def test_a_change_that_fails_writes_nothing(store: Store) -> None:
    judgements = store.judgements
    first = Judgement.make("a", "b", Verdict.SAME, "ana")
    judgements.apply(JudgementChange(added=[first], canonical={"a": "a", "b": "a"}))
    generation = store.generation()
    other = Judgement.make("c", "d", Verdict.SAME, "ana")
    with pytest.raises(Exception):  # noqa: B017 - each backend names the clash its own way
        judgements.apply(
            JudgementChange(
                added=[other, first],  # `first` exists: the whole change is refused
                canonical={"c": "c", "d": "c"},
                cleared={"c", "d"},
            )
        )
    assert [j.id for j in judgements.all()] == [first.id]
    assert judgements.canonical_map() == {"a": "a", "b": "a"}
    assert store.generation() == generation
