"""The resolution benchmark's scores: hand-made cases, and brute force on random ones."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.benchmarks import bench_module

metrics = bench_module("_linkage_metrics")
Scores = metrics.Scores

# Five records: a, b, c are one person; d, e another.
TRUTH = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
DATASETS = {"a": "A", "b": "B", "c": "A", "d": "A", "e": "B"}


def test_scores_are_precision_recall_and_f1() -> None:
    scores = Scores(true_positives=3, predicted=4, actual=6)
    assert scores.precision == 0.75
    assert scores.recall == 0.5
    assert scores.f1 == pytest.approx(0.6)


def test_nothing_predicted_and_nothing_to_find_is_perfect() -> None:
    assert Scores(0, 0, 0).f1 == 1.0
    assert Scores(0, 0, 5).f1 == 0.0


@pytest.mark.parametrize(
    ("pairs", "datasets", "expected"),
    [
        ([("a", "b")], None, Scores(1, 1, 4)),
        # Order, repeats and self-pairs do not count twice.
        ([("a", "b"), ("b", "a"), ("a", "a"), ("c", "d")], None, Scores(1, 2, 4)),
        # A linkage counts only pairs across datasets: a-c (both in A) is dropped.
        ([("a", "b"), ("a", "c"), ("d", "e"), ("b", "d")], DATASETS, Scores(2, 3, 3)),
        ([], DATASETS, Scores(0, 0, 3)),
    ],
)
def test_pair_scores(
    pairs: list[tuple[str, str]], datasets: dict[str, str] | None, expected: object
) -> None:
    assert metrics.pair_scores(pairs, TRUTH, datasets) == expected


@pytest.mark.parametrize(
    ("clusters", "datasets", "expected"),
    [
        ({r: "x" for r in TRUTH}, None, Scores(4, 10, 4)),
        ({"a": "x", "b": "x", "d": "y", "e": "y"}, None, Scores(2, 2, 4)),  # c is a singleton
        ({}, None, Scores(0, 0, 4)),
        # Linkage: {a, b, c, d} holds 3 cross pairs (a-b, b-c, b-d); a-b, b-c are true.
        ({"a": "x", "b": "x", "c": "x", "d": "x"}, DATASETS, Scores(2, 3, 3)),
    ],
)
def test_cluster_scores(
    clusters: dict[str, str], datasets: dict[str, str] | None, expected: object
) -> None:
    assert metrics.cluster_scores(clusters, TRUTH, datasets) == expected


def test_cluster_scores_refuse_records_outside_the_truth() -> None:
    with pytest.raises(KeyError, match="zz"):
        metrics.cluster_scores({"zz": "x"}, TRUTH)


def test_a_singleton_cluster_id_never_collides_with_a_record_id() -> None:
    # Record "b" is in no predicted cluster; a predicted cluster happens to be named "b".
    scores = metrics.cluster_scores({"a": "b", "c": "b"}, TRUTH)
    assert scores == Scores(1, 1, 4)


# Random cases against brute force --------------------------------------------------

cases = st.integers(1, 12).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 4), min_size=n, max_size=n),  # true cluster of each record
        st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=n, max_size=n),  # predicted
        st.lists(st.sampled_from("AB"), min_size=n, max_size=n),  # dataset
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20),  # pairs
        st.booleans(),  # linkage?
    )
)


@settings(max_examples=300, deadline=None)
@given(cases)
def test_scores_match_brute_force(
    case: tuple[list[int], list[int | None], list[str], list[tuple[int, int]], bool],
) -> None:
    true_of, predicted_of, dataset_of, index_pairs, linkage = case
    ids = [f"r{i}" for i in range(len(true_of))]
    truth = {r: str(c) for r, c in zip(ids, true_of, strict=True)}
    clusters = {r: str(c) for r, c in zip(ids, predicted_of, strict=True) if c is not None}
    datasets = dict(zip(ids, dataset_of, strict=True))
    pairs = [(ids[a], ids[b]) for a, b in index_pairs]

    def counted(a: str, b: str) -> bool:
        return not linkage or datasets[a] != datasets[b]

    everything = [(a, b) for a, b in combinations(ids, 2) if counted(a, b)]
    actual = {frozenset(p) for p in everything if truth[p[0]] == truth[p[1]]}
    together = {frozenset(p) for p in everything if p[0] in clusters and p[1] in clusters
                and clusters[p[0]] == clusters[p[1]]}  # fmt: skip
    judged = {frozenset((a, b)) for a, b in pairs if a != b and counted(a, b)}
    chosen = datasets if linkage else None

    assert metrics.cluster_scores(clusters, truth, chosen) == Scores(
        len(together & actual), len(together), len(actual)
    )
    assert metrics.pair_scores(pairs, truth, chosen) == Scores(
        len(judged & actual), len(judged), len(actual)
    )


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 15).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1),
                                                       st.integers(0, n - 1)), max_size=20))
))  # fmt: skip
def test_components_match_networkx(case: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = case
    ids = [f"r{i:02d}" for i in range(n)]
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from((ids[a], ids[b]) for a, b in edges)
    expected = {r: min(part) for part in nx.connected_components(graph) for r in part}
    assert metrics.components(ids, [(ids[a], ids[b]) for a, b in edges]) == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 12).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 5), min_size=n, max_size=n),  # person of each record
        st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=n, max_size=n),  # cluster
        st.lists(st.one_of(st.none(), st.integers(0, 1)), min_size=6, max_size=6),  # group
    )
))  # fmt: skip
def test_hard_negative_merges_match_brute_force(
    case: tuple[list[int], list[int | None], list[int | None]],
) -> None:
    person_of, cluster_of, group_of = case
    ids = [f"r{i}" for i in range(len(person_of))]
    truth = {r: f"p{p}" for r, p in zip(ids, person_of, strict=True)}
    clusters = {r: f"c{c}" for r, c in zip(ids, cluster_of, strict=True) if c is not None}
    kinds = ["twins", "namesakes"]
    groups = {f"p{p}": (f"g{g}", kinds[g]) for p, g in enumerate(group_of) if g is not None}

    expected = {kind: [0, 0] for _, kind in groups.values()}
    for a, b in combinations(ids, 2):
        pa, pb = truth[a], truth[b]
        if pa == pb or pa not in groups or pb not in groups or groups[pa] != groups[pb]:
            continue
        kind = groups[pa][1]
        expected[kind][1] += 1
        if a in clusters and b in clusters and clusters[a] == clusters[b]:
            expected[kind][0] += 1
    found = metrics.hard_negative_merges(clusters, truth, groups)
    assert found == {kind: tuple(counts) for kind, counts in expected.items()}
