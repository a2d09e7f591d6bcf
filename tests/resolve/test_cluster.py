"""Clustering under constraints: no chaining through one strong link, no not-same merges."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from threadline.resolve.birthdates import conflict
from threadline.resolve.cluster import cluster
from threadline.resolve.identifiers import identifier_shape


def _clique(nodes: list[int], weight: float) -> list[tuple[int, int, float]]:
    return [(a, b, weight) for i, a in enumerate(nodes) for b in nodes[i + 1 :]]


def _run(edges: list[tuple[int, int, float]], n: int, **kw: object) -> list[int]:
    a = np.array([e[0] for e in edges], dtype=np.int64)
    b = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array([e[2] for e in edges], dtype=np.float64)
    result = cluster(n, a, b, w, merge_weight=6.0, average_weight=0.0, **kw)  # type: ignore[arg-type]
    return [int(x) for x in result.labels]


def test_one_weak_link_does_not_join_two_large_clusters() -> None:
    left, right = list(range(0, 20)), list(range(20, 40))
    edges = _clique(left, 20.0) + _clique(right, 20.0)
    edges.append((5, 25, 7.0))  # one wrong link, just above the merge threshold
    # The other compared pairs between the two groups say "different".
    edges += [(x, y, -10.0) for x in left[:5] for y in right[:5] if (x, y) != (5, 25)]
    labels = _run(edges, 40)
    assert len({labels[i] for i in left}) == 1
    assert len({labels[i] for i in right}) == 1
    assert labels[0] != labels[20]


def test_a_chain_of_links_without_support_does_not_merge_everything() -> None:
    # 0-1 and 1-2 are strong, but 0-2 was compared and is clearly different.
    labels = _run([(0, 1, 10.0), (1, 2, 9.0), (0, 2, -20.0)], 3)
    assert labels[0] == labels[1] != labels[2]


def test_not_same_is_never_crossed() -> None:
    labels = _run([(0, 1, 10.0), (1, 2, 10.0), (0, 2, 10.0)], 3, different=[(0, 2)])
    assert labels[0] != labels[2]


def test_same_judgements_join_without_scores() -> None:
    labels = _run([], 3, same=[(0, 2)])
    assert labels[0] == labels[2] != labels[1]


def test_organisations_with_different_identifiers_never_join_through_others() -> None:
    # A parent (0, registration number 1) and its subsidiary (3, number 2); records 1
    # and 2 hold no number, and link the two strongly (the parent's name, an address).
    ids = [frozenset({1}), frozenset(), frozenset(), frozenset({2})]
    edges = [(0, 1, 20.0), (1, 2, 15.0), (2, 3, 20.0)]
    labels = _run(edges, 4, identifiers=ids)
    assert labels[0] != labels[3]
    assert len(set(_run(edges, 4))) == 1  # without the numbers they would join
    # A shared number joins; a pair of two records is held to the same rule.
    ids[3] = frozenset({1, 2})
    assert len(set(_run(edges, 4, identifiers=ids))) == 1
    assert _run([(0, 1, 20.0)], 2, identifiers=[frozenset({1}), frozenset({2})]) == [0, 1]


def test_conflicting_birth_dates_keep_clusters_apart() -> None:
    # Two people of one name: 0-1 and 2-3 are each one person with a full birth date;
    # 1-2 is a strong link through records without dates (a shared e-mail, say).
    dates = np.array([19520517, 0, 0, 19890813], dtype=np.int32)
    edges = [(0, 1, 20.0), (2, 3, 20.0), (1, 2, 12.0)]
    apart = cluster(
        4,
        *(np.array([e[i] for e in edges]) for i in (0, 1)),
        np.array([e[2] for e in edges]),
        merge_weight=6.0,
        average_weight=0.0,
        dates=dates,
    )
    assert apart.labels[0] == apart.labels[1] != apart.labels[2] == apart.labels[3]
    assert any("birth dates conflict" in reason for *_, reason in apart.refused)
    # Without the dates (birth dates unreliable in this data) the link joins them.
    assert len(set(_run(edges, 4))) == 1
    # A typo or a day and month swap is no conflict.
    for other in (19520518, 19521705, 19525017):
        near = np.array([19520517, 0, 0, other], dtype=np.int32)
        assert len(set(_run(edges, 4, dates=near))) == 1
    # Two records joined by one pair are checked too; a judged "same" pair overrides.
    pair = np.array([19520517, 19890813], dtype=np.int32)
    assert len(set(_run([(0, 1, 30.0)], 2, dates=pair))) == 2
    assert len(set(_run([], 2, dates=pair, same=[(0, 1)]))) == 1


def _reference(
    n: int,
    edges: list[tuple[int, int, float]],
    dates: list[int],
    different: list[tuple[int, int]],
) -> list[int]:
    """Clustering as the rules state it, with none of cluster()'s shortcuts: strong
    pairs strongest first; a join needs no not-same pair and no conflicting dates
    between the clusters, an average over their compared pairs of at least 0 and no
    compared pair below the veto."""
    members = {i: {i} for i in range(n)}
    owner = list(range(n))
    weights = {(min(x, y), max(x, y)): w for x, y, w in edges}
    apart = {(min(x, y), max(x, y)) for x, y in different}
    order = sorted(range(len(edges)), key=lambda i: -edges[i][2])
    for i in order:
        x, y, w = edges[i]
        if w < 6.0:
            break
        rx, ry = owner[x], owner[y]
        if rx == ry:
            continue
        cross = [(min(p, q), max(p, q)) for p in members[rx] for q in members[ry]]
        compared = [weights[k] for k in cross if k in weights]
        if any(k in apart for k in cross):
            continue
        if conflict([dates[p] for p in members[rx]], [dates[q] for q in members[ry]]):
            continue
        if sum(compared) / len(compared) < 0.0 or min(compared) < -24.0:
            continue
        for p in members[ry]:
            owner[p] = rx
        members[rx] |= members.pop(ry)
    return [min(members[owner[i]]) for i in range(n)]


@settings(max_examples=1000, deadline=None)
@given(
    n=st.integers(2, 6),
    raw=st.lists(
        st.tuples(
            st.integers(0, 5),
            st.integers(0, 5),
            st.sampled_from([-30.0, -10.0, -3.0, 2.0, 7.0, 9.5, 20.0, 40.0]),
        ),
        min_size=3,
        max_size=24,
    ),
    born=st.lists(st.sampled_from([0, 19520517, 19520518, 19890813]), min_size=6, max_size=6),
    judged=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=2),
)
# A veto: joining {0, 1} and {2} averages +5, but the pair 1-2 is strongly against.
@example(n=3, raw=[(0, 1, 40.0), (0, 2, 40.0), (1, 2, -30.0)], born=[0] * 6, judged=[])
# Low average linkage: joining {0, 1} and {2} averages -1.5.
@example(n=3, raw=[(0, 1, 20.0), (0, 2, 7.0), (1, 2, -10.0)], born=[0] * 6, judged=[])
def test_cluster_keeps_to_its_rules(
    n: int,
    raw: list[tuple[int, int, float]],
    born: list[int],
    judged: list[tuple[int, int]],
) -> None:
    # The shortcuts (pairs alone, components whose every pair is strong) agree with
    # the rules applied one strong pair at a time. Distinct weights keep the order of
    # joins free of ties.
    seen: set[tuple[int, int]] = set()
    edges = []
    for x, y, w in raw:
        key = (min(x, y), max(x, y))
        if x < n and y < n and x != y and key not in seen:
            seen.add(key)
            edges.append((key[0], key[1], w + len(edges) * 1e-3))
    different = [(x, y) for x, y in judged if x < n and y < n and x != y]
    dates = np.array(born[:n], dtype=np.int32)
    expected = _reference(n, edges, dates.tolist(), different)
    assert _run(edges, n, dates=dates, different=different) == expected


def _partition(records: int, merges: list[tuple[int, int, float]]) -> list[int]:
    """The clusters that the merges alone make (what the store is told), as labels."""
    parent = list(range(records))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y, _ in merges:
        parent[find(x)] = find(y)
    return [find(x) for x in range(records)]


def _same_partition(left: list[int], right: list[int]) -> bool:
    pairs = set(zip(left, right, strict=True))
    return len(pairs) == len(set(left)) == len(set(right))


def test_merges_match_the_labels_past_the_int32_limit() -> None:
    # 60,000 records: a * records passes 2**31 for every record above 35,791.
    records = 60_000
    base = np.arange(0, records - 2, 3)
    for dtype in (np.int32, np.int64):
        a = np.concatenate([base, base, base + 1]).astype(dtype)
        b = np.concatenate([base + 1, base + 2, base + 2]).astype(dtype)
        weight = np.full(len(a), 20.0)
        result = cluster(records, a, b, weight, merge_weight=6.0, average_weight=0.0)
        labels = [int(x) for x in result.labels]
        assert len(set(labels)) == records // 3
        assert len(result.merges) == 2 * (records // 3)  # a spanning tree per triangle
        assert _same_partition(_partition(records, result.merges), labels)


def test_identifiers_of_different_kinds_do_not_keep_clusters_apart() -> None:
    # A register's number on one record, a VAT number on the other: no conflict.
    kinds = [identifier_shape("HRB12345"), identifier_shape("DE123456789")]
    ids = [frozenset({0}), frozenset({1})]
    assert _run([(0, 1, 20.0)], 2, identifiers=ids, kinds=kinds) == [0, 0]
    # Two register numbers, even of different lengths, are one kind: apart.
    kinds = [identifier_shape("HRB12345"), identifier_shape("HRB987654")]
    assert _run([(0, 1, 20.0)], 2, identifiers=ids, kinds=kinds) == [0, 1]
    assert identifier_shape("5493001KJTIIGC8Y1R12") == "#A#A#A#"
