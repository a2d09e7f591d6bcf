"""Breadth-first traversal over the adjacency view, a whole frontier at a time.

Each level gathers the CSR slices of every frontier node in one numpy operation and
filters them through the query's `Visibility`, so the cost is in C, not in a Python loop
over neighbours; the hop distances land in one int16 array over all nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from threadline.graph.adjacency import Array
from threadline.graph.scope import Visibility

UNSEEN = -1


def ball(view: Visibility, start: int, radius: int, within: Array | None = None) -> Array:
    """Hop distances from `start` (UNSEEN beyond `radius`), over visible steps only and,
    if `within` is given, only through nodes where it is True."""
    adj = view.adj
    dist = np.full(adj.node_count, UNSEEN, dtype=np.int16)
    dist[start] = 0
    frontier = np.array([start], dtype=np.int64)
    for depth in range(1, radius + 1):
        _, nbrs, edges = adj.gather(frontier)
        ok = view.steps(nbrs, edges)
        if ok is not None:
            nbrs = nbrs[ok]
        if within is not None:
            nbrs = nbrs[within[nbrs]]
        nbrs = np.unique(nbrs[dist[nbrs] == UNSEEN])
        if not len(nbrs):
            break
        dist[nbrs] = depth
        frontier = nbrs.astype(np.int64)
    return dist


@dataclass
class Neighbourhood:
    """Nodes within some hops of a start, by depth, and the edges walked to reach them."""

    depth: dict[int, int] = field(default_factory=dict)
    edges: list[int] = field(default_factory=list)
    truncated: bool = False


def neighbourhood(view: Visibility, start: int, depth: int, limit: int) -> Neighbourhood:
    """Every node at most `depth` hops from `start` and every visible edge from a node
    closer than `depth` to a node in the result; at most `limit` nodes (then truncated),
    the nearer first, and among equals the first in id order."""
    adj = view.adj
    found = Neighbourhood(depth={start: 0})
    frontier = np.array([start], dtype=np.int64)
    seen_edges: set[int] = set()
    for level in range(1, depth + 1):
        _, nbrs, edges = adj.gather(frontier)
        ok = view.steps(nbrs, edges)
        if ok is not None:
            nbrs, edges = nbrs[ok], edges[ok]
        new = sorted({int(v) for v in nbrs.tolist()} - found.depth.keys())
        room = limit - len(found.depth)
        if len(new) > room:
            new, found.truncated = new[: max(room, 0)], True
        for node in new:
            found.depth[node] = level
        for node, edge in zip(nbrs.tolist(), edges.tolist(), strict=True):
            if node in found.depth and edge not in seen_edges:
                seen_edges.add(edge)
                found.edges.append(edge)
        if found.truncated or not new:
            break
        frontier = np.array(new, dtype=np.int64)
    return found
