"""Who connects these entities: a small subgraph joining them (a Steiner tree, roughly).

The heuristic of Kou, Markowsky and Berman (at most twice the optimum): the best path
between every pair of terminals gives a complete "distance graph" over them; its minimum
spanning tree is expanded back into the paths it stands for; the spanning tree of that
union is pruned of leaves that are not terminals. Terminals no path of at most
`max_hops` joins stay apart, and the result lists them in separate groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from threadline.graph.paths import FoundPath, best_paths
from threadline.graph.scope import Visibility
from threadline.graph.weights import hop_cost


@dataclass
class Connection:
    """The joining tree (node and edge positions) and the groups of terminals it joins."""

    nodes: set[int] = field(default_factory=set)
    edges: list[int] = field(default_factory=list)
    groups: list[list[int]] = field(default_factory=list)
    truncated: bool = False


class _Sets:
    """Union-find over hashable items."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


def connect(
    view: Visibility, terminals: list[int], max_hops: int, today: int, budget: int
) -> Connection:
    """The approximate Steiner tree of `terminals` over visible links."""
    terms = list(dict.fromkeys(terminals))
    result = Connection(nodes=set(terms))
    closure: list[tuple[float, int, int, FoundPath]] = []
    for a, b in combinations(terms, 2):
        paths, cut = best_paths(view, a, b, max_hops, 1, today, budget)
        result.truncated |= cut
        if paths:
            closure.append((paths[0].cost, a, b, paths[0]))
    joined = _Sets()
    union: dict[int, tuple[float, int, int]] = {}  # edge -> (cost, end, end)
    adj = view.adj
    for _, a, b, path in sorted(closure, key=lambda c: (c[0], c[1], c[2])):
        if not joined.join(a, b):
            continue
        for u, v, e in zip(path.nodes, path.nodes[1:], path.edges, strict=False):
            kind = adj.meta.types[int(adj.edge_type[e])]
            cost = hop_cost(kind, int(adj.edge_start[e]), int(adj.edge_end[e]), today)
            union[e] = (cost, u, v)
    tree = _Sets()
    chosen: dict[int, tuple[int, int]] = {}
    for e, (_, u, v) in sorted(union.items(), key=lambda item: (item[1][0], item[0])):
        if tree.join(u, v):
            chosen[e] = (u, v)
    _prune(chosen, set(terms))
    result.edges = sorted(chosen)
    result.nodes |= {n for ends in chosen.values() for n in ends}
    groups: dict[int, list[int]] = {}
    for t in terms:
        groups.setdefault(joined.find(t), []).append(t)
    result.groups = list(groups.values())
    return result


def _prune(chosen: dict[int, tuple[int, int]], terminals: set[int]) -> None:
    """Remove leaves that are not terminals until none is left."""
    while True:
        degree: dict[int, int] = {}
        for u, v in chosen.values():
            degree[u] = degree.get(u, 0) + 1
            degree[v] = degree.get(v, 0) + 1
        leaves = {n for n, d in degree.items() if d == 1 and n not in terminals}
        if not leaves:
            return
        for e in [e for e, (u, v) in chosen.items() if u in leaves or v in leaves]:
            del chosen[e]
