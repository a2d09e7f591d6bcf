"""Reader sets: which slices a merged entity gets, how the index records them, and the
access filter's promise that makes an uncovered reader set safe: a reader finds at most
one document per entity, holding only values of the datasets they read, and exactly
their part once their reader set is covered."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from threadline.app import indexer
from threadline.model.entity import Entity
from threadline.model.statement import StatementRow
from threadline.search.query import SearchQuery
from threadline.search.readers import (
    ReaderSet,
    decode_readers,
    encode_readers,
    reader_set,
    slice_parts,
)
from threadline.search.tantivy_index import TantivyIndex

A, B, C, D = "alpha", "beta", "gamma", "delta"


def _set(*names: str) -> ReaderSet:
    return frozenset(names)


@pytest.mark.parametrize(
    ("datasets", "readers", "parts"),
    [
        ([A], [_set(B)], []),  # one dataset: never sliced
        ([A, B], [], []),  # no reader set: the whole only
        ([A, B], [_set(A, B, C)], []),  # reads all of it: the whole
        ([A, B], [_set(C)], []),  # reads none of it: nothing
        ([A, B], [_set(A), _set(A, C)], [[A]]),  # one part, however many sets give it
        ([A, B, C], [_set(B, C), _set(A), _set(D, C)], [[A], [C], [B, C]]),
        # Five datasets (beyond the old limit of four): still one slice per reader set.
        ([A, B, C, D, "eps"], [_set(A, "eps")], [[A, "eps"]]),
    ],
)
def test_a_merged_entity_has_a_slice_per_distinct_part_readers_read(
    datasets: list[str], readers: list[ReaderSet], parts: list[list[str]]
) -> None:
    assert slice_parts(datasets, readers) == parts


def test_reader_sets_of_searches() -> None:
    assert reader_set(None, frozenset()) is None  # reads everything
    assert reader_set(_set(A, B), frozenset()) is None  # every dataset there is
    assert reader_set(frozenset(), _set(A)) is None  # none: sees nothing anyway
    assert reader_set(_set(A), _set(B)) == _set(A)


def test_reader_sets_round_trip_and_reject_other_data() -> None:
    readers = frozenset({_set(A), _set(B, C), frozenset()})
    assert decode_readers(encode_readers(readers)) == readers
    assert encode_readers(readers) == encode_readers(frozenset(reversed(list(readers))))
    for bad in (b"{}", b"[1]", b'[["a", 2]]'):
        with pytest.raises(ValueError):
            decode_readers(bad)


def _row(dataset: str, prop: str, value: str) -> StatementRow:
    return StatementRow(
        "e1", f"{dataset}-{prop}-{value}", "Person", prop, "text", value, None, None,
        dataset, "src", None, "2026-01-01", "2026-01-01",
    )  # fmt: skip


def _entity() -> Entity:
    """One person in three datasets; a word of each only that dataset states."""
    rows = []
    for dataset in (A, B, C):
        rows.append(_row(dataset, "name", "Anna Novak"))
        rows.append(_row(dataset, "notes", f"{dataset}word"))
    return Entity.assemble("e1", sorted(rows, key=lambda r: r.id), {})


def test_a_new_index_records_no_reader_set_and_every_process_sees_a_commit(
    tmp_path: Path,
) -> None:
    index = TantivyIndex(tmp_path / "index")
    assert index.readers() == frozenset()
    other = TantivyIndex(tmp_path / "index")  # as another process opens it
    with index.writing() as batch:
        batch.readers = frozenset({_set(A)})
        assert other.readers() == frozenset()  # not before the commit
    assert other.readers() == frozenset({_set(A)})
    (index.path / "threadline-readers").write_bytes(b"not json")
    assert other.readers() is None  # unreadable: nothing counts as covered


COVERED = frozenset({_set(A), _set(B, C), _set(A, B, C, D)})


@pytest.mark.parametrize(
    "reader", [frozenset(r) for n in range(5) for r in combinations([A, B, C, D], n)]
)
def test_a_reader_finds_their_part_if_covered_and_never_more(
    tmp_path: Path, reader: frozenset[str]
) -> None:
    index = TantivyIndex(tmp_path / "index")
    index.upsert(indexer.entity_documents(_entity(), readers=COVERED))
    hidden = _set(A, B, C, D) - reader
    found = index.search(SearchQuery(text="anna novak", visible=reader, hidden=hidden)).hits
    part = sorted(reader & {A, B, C})
    covered = any(_set(*part) == r & {A, B, C} for r in COVERED) or part == [A, B, C]
    assert len(found) <= 1
    if part and covered:
        assert [h.datasets for h in found] == [part]
    else:
        assert found == []  # fails closed: not their part, nothing of another's
    for hit in found:
        shown = " ".join([hit.caption, *hit.highlights, *hit.datasets])
        assert not [d for d in (A, B, C) if d not in reader and d in shown]
    for dataset in (A, B, C):
        words = index.search(SearchQuery(text=f"{dataset}word", visible=reader, hidden=hidden))
        assert words.total == (1 if dataset in reader and covered else 0)
