"""The SQL store's kept counts against the memory store's, over random histories of
writes, rewrites, failed writes and erasures."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.store.test_counts import _rows, _source, counts, recount
from threadline.store.base import Store
from threadline.store.memory import MemoryStore
from threadline.store.sql import SQLStore

DATASETS = st.sampled_from(["a", "b", "c"])
ENTITIES = st.sampled_from(["p1", "p2", "p3", "p4"])
WRITE = st.tuples(
    st.just("write"),
    st.lists(
        st.tuples(ENTITIES, DATASETS, st.sampled_from(["X", "Y"]), st.sampled_from(["1", "2"]))
    ),
    st.lists(st.tuples(DATASETS, st.sampled_from(["s1", "s2"])), max_size=2),
    st.booleans(),  # fails half-way, and writes nothing
)
ERASE_DATASET = st.tuples(st.just("erase"), DATASETS, st.none())
ERASE_ENTITIES = st.tuples(
    st.just("erase"), st.none() | DATASETS, st.lists(ENTITIES, min_size=1, max_size=2)
)
HISTORY = st.lists(st.one_of(WRITE, WRITE, ERASE_DATASET, ERASE_ENTITIES), max_size=8)


class Boom(Exception):
    """A write that fails on purpose."""


def _apply(store: Store, op: tuple[Any, ...]) -> None:
    if op[0] == "erase":
        store.erase(op[1], op[2])
        return
    _, entities, files, fails = op
    try:
        with store.writer() as writer:
            for entity_id, dataset, name, seen in entities:
                writer.add(_rows(entity_id, dataset, seen, name=name))
            for dataset, sha in files:
                writer.add_source(_source(dataset, sha))
            if fails:
                raise Boom
    except Boom:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HISTORY)
def test_kept_counts_match_the_reference_after_any_history(history: list[Any]) -> None:
    reference, sql = MemoryStore(), SQLStore("sqlite://")
    try:
        for op in history:
            _apply(reference, op)
            _apply(sql, op)
            assert counts(sql) == counts(reference) == recount(sql)
    finally:
        sql.close()
