"""Hubs: which entities of a set are central to it (degree and betweenness).

Both are measured on the subgraph the set induces: its nodes and the visible links
between them. Degree counts distinct neighbours. Betweenness (Brandes, unweighted,
undirected, normalised like networkx's) is exact up to `EXACT_LIMIT` nodes, estimated
from `SAMPLES` seeded sources up to `SAMPLED_LIMIT`, and left out beyond that.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass

import numpy as np

from threadline.graph.adjacency import Array
from threadline.graph.scope import Visibility

EXACT_LIMIT = 2_000
SAMPLED_LIMIT = 50_000
SAMPLES = 256


@dataclass
class Centrality:
    """Degree and betweenness of each node of the set, and how betweenness was found."""

    degree: dict[int, int]
    betweenness: dict[int, float] | None
    method: str
    edges: int


def induced(view: Visibility, members: Array) -> tuple[Array, Array]:
    """The visible links inside the set, as distinct (node, neighbour) pairs, both ways."""
    adj = view.adj
    inside = np.zeros(adj.node_count, dtype=bool)
    inside[members] = True
    owner, nbrs, edges = adj.gather(members.astype(np.int64))
    keep = inside[nbrs]
    ok = view.steps(nbrs, edges)
    if ok is not None:
        keep &= ok
    sources, targets = members[owner[keep]].astype(np.int64), nbrs[keep].astype(np.int64)
    pairs = np.unique(sources[sources != targets] * adj.node_count + targets[sources != targets])
    return pairs // adj.node_count, pairs % adj.node_count


def centrality(view: Visibility, members: Array, seed: int = 0) -> Centrality:
    """Degree and betweenness within the subgraph `members` induce."""
    us, vs = induced(view, members)
    counts = np.bincount(us, minlength=view.adj.node_count)[members]
    degree = dict(zip(members.tolist(), counts.tolist(), strict=True))
    edges = len(us) // 2
    n = len(degree)
    if n > SAMPLED_LIMIT:
        return Centrality(degree, None, f"not computed (more than {SAMPLED_LIMIT:,} nodes)", edges)
    graph: dict[int, list[int]] = {m: [] for m in degree}
    for u, v in zip(us.tolist(), vs.tolist(), strict=True):
        graph[u].append(v)
    nodes = sorted(graph)
    if n <= EXACT_LIMIT:
        sources, method = nodes, "exact"
    else:
        sources = random.Random(seed).sample(nodes, SAMPLES)
        method = f"estimated from {SAMPLES} sampled sources"
    score = dict.fromkeys(nodes, 0.0)
    for s in sources:
        _accumulate(graph, s, score)
    # networkx's normalisation for undirected graphs, scaled up from the sample.
    scale = (n / len(sources)) / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return Centrality(degree, {v: c * scale for v, c in score.items()}, method, edges)


def _accumulate(graph: dict[int, list[int]], source: int, score: dict[int, float]) -> None:
    """Brandes' dependency accumulation from one source."""
    order: list[int] = []
    preds: dict[int, list[int]] = {source: []}
    sigma = {source: 1.0}
    dist = {source: 0}
    queue = deque([source])
    while queue:
        v = queue.popleft()
        order.append(v)
        for w in graph[v]:
            if w not in dist:
                dist[w] = dist[v] + 1
                sigma[w] = 0.0
                preds[w] = []
                queue.append(w)
            if dist[w] == dist[v] + 1:
                sigma[w] += sigma[v]
                preds[w].append(v)
    delta = dict.fromkeys(order, 0.0)
    for w in reversed(order):
        for v in preds[w]:
            delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w])
        if w != source:
            score[w] += delta[w]
