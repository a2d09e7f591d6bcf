"""Clustering under constraints: strong links merge, but never by chaining.

Pairs at or above the merge threshold join records, in order of strength. A join is
refused when the two clusters hold a pair judged "not the same", or when the average
match weight over every compared pair between them is low, or when any compared pair
between them is strongly against (a veto): one strong but wrong link between two large
clusters is outvoted by the many weak pairs around it. Where birth dates are reliable, a
join is refused when the two clusters' full birth dates conflict, compared or not (see
birthdates.py). Organisations that hold identifiers (registration, tax numbers) join
only where the two clusters share one: a parent and its subsidiary, each with its own
number, stay apart even through records that hold none. Judged "same" pairs always join
(unless that would break a "not the same").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

from threadline.resolve.birthdates import DateArray, conflict, pair_conflicts
from threadline.resolve.identifiers import identifiers_differ

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class Clustering:
    """Cluster label per record, the links that made each cluster, and refused links."""

    labels: IntArray
    merges: list[tuple[int, int, float]] = field(default_factory=list)  # (a, b, weight)
    refused: list[tuple[int, int, float, str]] = field(default_factory=list)


def cluster(
    records: int,
    a: IntArray,
    b: IntArray,
    weight: FloatArray,
    *,
    merge_weight: float,
    average_weight: float,
    veto_weight: float = -24.0,
    same: Iterable[tuple[int, int]] = (),
    different: Iterable[tuple[int, int]] = (),
    dates: DateArray | None = None,
    identifiers: Sequence[frozenset[int]] | None = None,
    kinds: Sequence[str] = (),
) -> Clustering:
    """Cluster `records` from scored candidate pairs (a[i], b[i], weight[i]); `dates`
    (YYYYMMDD per record, 0 for none) makes conflicting birth dates keep clusters apart,
    and `identifiers` (codes per record, empty for none; `kinds`: each code's shape)
    clusters holding identifiers of one kind and none in common."""
    same = list(same)
    different = list(different)
    strong = weight >= merge_weight
    sa = np.concatenate([a[strong], np.array([p[0] for p in same], dtype=np.int64)])
    sb = np.concatenate([b[strong], np.array([p[1] for p in same], dtype=np.int64)])
    graph = coo_matrix((np.ones(len(sa)), (sa, sb)), shape=(records, records))
    _, component = connected_components(graph, directed=False)
    sizes = np.bincount(component)
    labels = np.arange(records, dtype=np.int64)
    result = Clustering(labels=labels)

    # Components of two joined by one strong pair need no further thought.
    pair_comp = component[a]
    simple = strong & (sizes[pair_comp] == 2) & (component[a] == component[b])
    blocked = {_key(x, y) for x, y in different}
    dated = (
        pair_conflicts(dates, a[simple], b[simple])
        if dates is not None
        else np.zeros(int(simple.sum()), dtype=bool)
    )
    for x, y, w, clash in zip(a[simple], b[simple], weight[simple], dated.tolist(), strict=True):
        if _key(int(x), int(y)) in blocked:
            result.refused.append((int(x), int(y), float(w), "judged not the same"))
            continue
        if clash:
            result.refused.append((int(x), int(y), float(w), _DATES))
            continue
        if identifiers is not None and identifiers_differ(identifiers[x], identifiers[y], kinds):
            result.refused.append((int(x), int(y), float(w), _IDENTIFIERS))
            continue
        labels[y] = labels[x] = min(int(x), int(y))
        result.merges.append((int(x), int(y), float(w)))

    big = sizes >= 3
    if same:
        big[component[[p[0] for p in same]]] = True
    inside = (component[a] == component[b]) & big[pair_comp]
    # Components whose every compared pair is strong, untouched by judgements and with
    # one birth date at most join whole: no check could refuse any of their joins.
    careful = np.zeros(len(sizes), dtype=bool)
    careful[component[a[inside & ~strong]]] = True
    for x, y in [*same, *different]:
        careful[component[[x, y]]] = True
    if dates is not None:
        careful |= _dated_apart(component, dates, len(sizes))
    if identifiers is not None:
        careful |= _identified_apart(component, identifiers, len(sizes))
    clean = inside & ~careful[pair_comp]
    if clean.any():
        _join_whole(labels, component, a[clean], b[clean], weight[clean], result)
    inside &= ~clean
    if inside.any() or same:
        _agglomerate(
            labels,
            a[inside],
            b[inside],
            weight[inside],
            merge_weight,
            average_weight,
            veto_weight,
            same,
            blocked,
            dates,
            identifiers,
            kinds,
            result,
        )
    return result


_DATES = "the clusters' birth dates conflict"
_IDENTIFIERS = "the clusters' identifiers differ"


def _identified_apart(
    component: IntArray, identifiers: Sequence[frozenset[int]], components: int
) -> BoolArray:
    """Per component: whether its records hold more than one set of identifiers."""
    first: dict[int, frozenset[int]] = {}
    apart = np.zeros(components, dtype=bool)
    for node, held in enumerate(identifiers):
        if held:
            seen = first.setdefault(int(component[node]), held)
            if seen != held:
                apart[component[node]] = True
    return apart


def _dated_apart(component: IntArray, dates: DateArray, components: int) -> BoolArray:
    """Per component: whether its records carry more than one full birth date."""
    dated = np.flatnonzero(dates)
    low = np.full(components, np.iinfo(np.int32).max, dtype=np.int64)
    high = np.zeros(components, dtype=np.int64)
    np.minimum.at(low, component[dated], dates[dated])
    np.maximum.at(high, component[dated], dates[dated])
    apart: BoolArray = high > low
    return apart


def _join_whole(
    labels: IntArray,
    component: IntArray,
    a: IntArray,
    b: IntArray,
    weight: FloatArray,
    result: Clustering,
) -> None:
    """Join each component of these pairs whole, recording its strongest spanning links
    as the merges (the joins that agglomeration would have made, strongest first)."""
    records = len(labels)
    nodes = np.unique(np.concatenate([a, b]))
    first = np.full(int(component.max()) + 1, records, dtype=np.int64)
    np.minimum.at(first, component[nodes], nodes)
    labels[nodes] = first[component[nodes]]
    # The maximum spanning forest: a minimum one over costs that fall as weights rise.
    cost = (float(weight.max()) + 1.0) - weight
    forest = minimum_spanning_tree(coo_matrix((cost, (a, b)), shape=(records, records))).tocoo()
    # Pair keys in int64: a * records overflows int32 past 46,341 records (scipy's
    # indices, and often a and b, are int32).
    keys = a.astype(np.int64) * records + b.astype(np.int64)
    order = np.argsort(keys)
    tree = forest.row.astype(np.int64) * records + forest.col.astype(np.int64)
    found = order[np.searchsorted(keys, tree, sorter=order)]
    for i in found[np.argsort(-weight[found], kind="stable")].tolist():
        result.merges.append((int(a[i]), int(b[i]), float(weight[i])))


def _key(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


def _agglomerate(
    labels: IntArray,
    a: IntArray,
    b: IntArray,
    weight: FloatArray,
    merge_weight: float,
    average_weight: float,
    veto_weight: float,
    same: list[tuple[int, int]],
    blocked: set[tuple[int, int]],
    dates: DateArray | None,
    identifiers: Sequence[frozenset[int]] | None,
    kinds: Sequence[str],
    result: Clustering,
) -> None:
    """Average-linkage merging with vetoes, inside components of three or more."""
    members: dict[int, list[int]] = {}
    cross: dict[int, dict[int, list[float]]] = {}  # [sum, count, lowest] per neighbour
    forbid: dict[int, set[int]] = {}
    for x, y, w in zip(a.tolist(), b.tolist(), weight.tolist(), strict=True):
        members.setdefault(x, [x])
        members.setdefault(y, [y])
        cell = cross.setdefault(x, {}).setdefault(y, [0.0, 0, w])
        cross.setdefault(y, {})[x] = cell
        cell[0] += w
        cell[1] += 1
        cell[2] = min(cell[2], w)
    for x, y in blocked:
        forbid.setdefault(x, set()).add(y)
        forbid.setdefault(y, set()).add(x)
    owner = {node: node for node in members}
    born: dict[int, set[int]] = {}  # full birth dates per cluster root
    if dates is not None:
        for node in members:
            if dates[node]:
                born[node] = {int(dates[node])}
    held: dict[int, frozenset[int]] = {}  # identifiers per cluster root
    if identifiers is not None:
        held = {node: identifiers[node] for node in members if identifiers[node]}

    def find(node: int) -> int:
        root = node
        while owner.get(root, root) != root:
            root = owner[root]
        while owner.get(node, node) != root:
            owner[node], node = root, owner[node]
        return root

    def join(x: int, y: int) -> None:
        if len(members.get(x, [x])) < len(members.get(y, [y])):
            x, y = y, x
        owner.setdefault(x, x)
        owner[y] = x
        members.setdefault(x, [x]).extend(members.pop(y, [y]))
        for other, cell in cross.pop(y, {}).items():
            if other == x:
                continue
            mine = cross.setdefault(x, {}).setdefault(other, [0.0, 0, cell[2]])
            mine[0] += cell[0]
            mine[1] += cell[1]
            mine[2] = min(mine[2], cell[2])
            theirs = cross[other]
            theirs.pop(y, None)
            theirs[x] = mine
        cross.get(x, {}).pop(y, None)
        forbid.setdefault(x, set()).update(forbid.pop(y, set()))
        if y in born:
            born.setdefault(x, set()).update(born.pop(y))
        if y in held:
            held[x] = held.get(x, frozenset()) | held.pop(y)
        for other in forbid[x]:
            f = forbid.setdefault(other, set())
            f.discard(y)
            f.add(x)

    for x, y in same:
        rx, ry = find(x), find(y)
        if rx != ry and ry not in forbid.get(rx, set()):
            join(rx, ry)
            result.merges.append((x, y, float("inf")))
    order = np.argsort(-weight, kind="stable")
    for i in order.tolist():
        w = float(weight[i])
        if w < merge_weight:
            break
        x, y = int(a[i]), int(b[i])
        rx, ry = find(x), find(y)
        if rx == ry:
            continue
        if ry in forbid.get(rx, set()):
            result.refused.append((x, y, w, "the clusters hold a pair judged not the same"))
            continue
        if conflict(born.get(rx, ()), born.get(ry, ())):
            result.refused.append((x, y, w, _DATES))
            continue
        if identifiers_differ(held.get(rx, frozenset()), held.get(ry, frozenset()), kinds):
            result.refused.append((x, y, w, _IDENTIFIERS))
            continue
        total, count, lowest = cross[rx][ry]
        if total / count < average_weight:
            mean = total / count
            why = f"the {count} pairs compared between the two clusters average {mean:.1f} bits"
            result.refused.append((x, y, w, f"{why}, below {average_weight:.1f}"))
            continue
        if lowest < veto_weight:
            why = f"a pair compared between the two clusters says different ({lowest:.1f} bits)"
            result.refused.append((x, y, w, why))
            continue
        join(rx, ry)
        result.merges.append((x, y, w))
    for node in list(owner):
        root = find(node)
        labels[node] = min(members[root]) if root in members else root
