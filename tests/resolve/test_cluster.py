"""Clustering under constraints: no chaining through one strong link, no not-same merges."""

from __future__ import annotations

import numpy as np

from threadline.resolve.cluster import cluster


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
