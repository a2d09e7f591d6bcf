"""Canonical ids: connected components of active "same" judgements.

A cluster's canonical id is its smallest member id, so undoing a merge gives every
entity back exactly the id it had, and any member id finds the cluster.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable

from threadline.resolve.judgement import Judgement, Verdict


class UnionFind:
    """Disjoint sets over string ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        """The set representative of `item`."""
        parent = self.parent
        root = item
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(item, item) != root:
            parent[item], item = root, parent[item]
        return root

    def union(self, a: str, b: str) -> bool:
        """Join two sets; False when they were one already."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.parent.setdefault(ra, ra)
        return True

    def groups(self) -> dict[str, list[str]]:
        """Members per representative, sorted."""
        found: dict[str, list[str]] = {}
        for item in list(self.parent):
            found.setdefault(self.find(item), []).append(item)
        return {k: sorted(v) for k, v in found.items()}


def clusters(judgements: Iterable[Judgement]) -> dict[str, str]:
    """Entity id -> canonical id, for every entity in a cluster of two or more."""
    sets = UnionFind()
    for j in judgements:
        if j.active and j.verdict is Verdict.SAME:
            sets.union(j.left, j.right)
    return canonical_ids(sets)


def canonical_ids(sets: UnionFind) -> dict[str, str]:
    """Entity id -> canonical id (the smallest member), for every set of two or more."""
    mapping: dict[str, str] = {}
    for members in sets.groups().values():
        if len(members) > 1:
            for member in members:
                mapping[member] = members[0]
    return mapping


def component(
    seeds: Collection[str], touching: Callable[[Collection[str]], list[Judgement]]
) -> tuple[set[str], list[Judgement]]:
    """All ids reachable from `seeds` over active "same" judgements, and those judgements."""
    seen = set(seeds)
    frontier = deque([set(seeds)])
    edges: dict[str, Judgement] = {}
    while frontier:
        batch = frontier.popleft()
        found: set[str] = set()
        for j in touching(batch):
            if j.verdict is not Verdict.SAME or not j.active:
                continue
            edges[j.id] = j
            for side in (j.left, j.right):
                if side not in seen:
                    seen.add(side)
                    found.add(side)
        if found:
            frontier.append(found)
    return seen, list(edges.values())


def path(a: str, b: str, judgements: Iterable[Judgement]) -> list[Judgement] | None:
    """The "same" judgements on a shortest chain from a to b, or None."""
    adjacency: dict[str, list[tuple[str, Judgement]]] = {}
    for j in judgements:
        if j.active and j.verdict is Verdict.SAME:
            adjacency.setdefault(j.left, []).append((j.right, j))
            adjacency.setdefault(j.right, []).append((j.left, j))
    previous: dict[str, tuple[str, Judgement] | None] = {a: None}
    queue = deque([a])
    while queue:
        node = queue.popleft()
        if node == b:
            chain: list[Judgement] = []
            step = previous[node]
            while step is not None:
                chain.append(step[1])
                step = previous[step[0]]
            return chain[::-1]
        for other, j in adjacency.get(node, []):
            if other not in previous:
                previous[other] = (node, j)
                queue.append(other)
    return None
