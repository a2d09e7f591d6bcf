"""The k best paths between two entities within a number of hops, ranked and explained.

Exact, and cheap on large graphs, in three steps:

1. Corridor. Every node of a path of at most H hops is at most ceil(H/2) hops from the
   source or at most floor(H/2) from the target, so two small balls hold every such path.
   Inside their union, hop distances from both ends keep only the nodes with
   d(source) + d(target) <= H.
2. Best-first search over partial simple paths inside the corridor, ordered by cost so
   far plus the hops still needed (each hop costs at least 1, so this never overestimates
   and paths come out cheapest first). Parallel edges count once, by their cheapest.
3. Each path is explained: its cost is hops + weakness + age (see `weights`).

`budget` caps the partial paths taken from the queue; a result cut short says so.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from threadline.graph.interval import OPEN_END, OPEN_START, day_to_iso
from threadline.graph.scope import Visibility
from threadline.graph.traverse import UNSEEN, ball
from threadline.graph.weights import age_penalty, hop_costs, latest_day, strength


@dataclass(frozen=True)
class FoundPath:
    """Node and edge positions of one path, and its cost."""

    nodes: tuple[int, ...]
    edges: tuple[int, ...]
    cost: float


@dataclass(frozen=True)
class Ranking:
    """Why a path ranks where it does: cost = hops + weakness + age."""

    hops: int
    weakness: float
    age: float
    cost: float
    latest: str | None
    text: str


def best_paths(
    view: Visibility, source: int, target: int, max_hops: int, k: int, today: int, budget: int
) -> tuple[list[FoundPath], bool]:
    """Up to `k` cheapest simple paths of at most `max_hops`; and whether the search was
    cut short by `budget` (then cheaper paths may exist beyond those returned)."""
    if source == target:
        return [FoundPath((source,), (), 0.0)], False
    adj = view.adj
    near_source = ball(view, source, (max_hops + 1) // 2)
    near_target = ball(view, target, max_hops // 2)
    union = (near_source != UNSEEN) | (near_target != UNSEEN)
    from_source = ball(view, source, max_hops, within=union)
    to_target = ball(view, target, max_hops, within=union)
    if to_target[source] == UNSEEN:
        return [], False
    corridor = (
        union
        & (from_source != UNSEEN)
        & (to_target != UNSEEN)
        & (from_source.astype(np.int32) + to_target <= max_hops)
    )
    weakness = np.array([1.0 - strength(t) for t in adj.meta.types])
    queue: list[tuple[float, float, tuple[int, ...], tuple[int, ...]]] = [
        (float(to_target[source]), 0.0, (source,), ())
    ]
    found: list[FoundPath] = []
    popped = 0
    while queue and len(found) < k:
        if popped >= budget:
            return found, True
        _, cost, nodes, edges = heapq.heappop(queue)
        popped += 1
        here = nodes[-1]
        if here == target:
            found.append(FoundPath(nodes, edges, cost))
            continue
        nbrs, eids = adj.incident(here)
        ok = view.steps(nbrs, eids)
        keep = corridor[nbrs] & (to_target[nbrs] <= max_hops - len(edges) - 1)
        if ok is not None:
            keep &= ok
        nbrs, eids = nbrs[keep], eids[keep]
        costs = hop_costs(
            weakness, adj.edge_type[eids], adj.edge_start[eids], adj.edge_end[eids], today
        )
        cheapest: dict[int, tuple[float, int]] = {}
        for node, edge, step in zip(nbrs.tolist(), eids.tolist(), costs.tolist(), strict=True):
            if node in nodes:
                continue
            best = cheapest.get(node)
            if best is None or (step, edge) < best:
                cheapest[node] = (step, edge)
        for node, (step, edge) in cheapest.items():
            total = cost + step
            heapq.heappush(
                queue, (total + float(to_target[node]), total, (*nodes, node), (*edges, edge))
            )
    return found, False


def explain(view: Visibility, path: FoundPath, today: int) -> Ranking:
    """The parts of a path's cost, and a line saying so."""
    adj = view.adj
    parts: list[str] = []
    weakness = age = 0.0
    latest: int | None = None
    ongoing = False
    for edge in path.edges:
        kind = adj.meta.types[int(adj.edge_type[edge])]
        start, end = int(adj.edge_start[edge]), int(adj.edge_end[edge])
        weakness += 1.0 - strength(kind)
        age += age_penalty(start, end, today)
        day = latest_day(start, end, today)
        if day is not None and (latest is None or day > latest):
            latest = day
        ongoing = ongoing or (end == OPEN_END and start != OPEN_START)
        parts.append(f"{kind} {strength(kind):.2f}")
    hops = len(path.edges)
    newest = "ongoing" if ongoing else day_to_iso(latest) if latest is not None else None
    text = (
        f"{hops} hops + weakness {weakness:.2f} ({', '.join(parts) or 'no links'})"
        f" + age {age:.2f} (newest link {newest or 'undated'}) = cost {path.cost:.2f}"
    )
    return Ranking(hops, round(weakness, 4), round(age, 4), round(path.cost, 4), newest, text)
