"""The traversals agree with networkx on random graphs (Hypothesis).

Graphs are built straight from scanned rows (no store), so each example is cheap. The
reference answers come from networkx on the same edges with the same hop costs.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.graph.adjacency import Adjacency, Meta
from threadline.graph.build import build_adjacency
from threadline.graph.connect import connect
from threadline.graph.hubs import centrality
from threadline.graph.paths import best_paths
from threadline.graph.scope import Scope, Visibility
from threadline.graph.traverse import neighbourhood
from threadline.graph.weights import hop_cost

TODAY = date(2026, 1, 1).toordinal()
KINDS = [("Ownership", "owner", "asset"), ("UnknownLink", "subject", "object"),
         ("Payment", "payer", "beneficiary")]  # fmt: skip
YEARS = [None, "2001", "2015", "2024"]

edge_lists = st.lists(
    st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(0, 2), st.sampled_from(YEARS)),
    max_size=28,
)


def _graph(edges: list[tuple[int, int, int, str | None]]) -> tuple[Adjacency, nx.Graph]:
    rows: list[tuple[str, ...]] = []
    for i in range(10):
        rows.append((f"n{i}", "Company", "id", "id", f"n{i}", "d"))
    for j, (a, b, kind, year) in enumerate(edges):
        schema, source, target = KINDS[kind]
        eid = f"e{j:02d}"
        rows += [(eid, schema, "id", "id", eid, "d"), (eid, schema, source, "entity", f"n{a}", "d"),
                 (eid, schema, target, "entity", f"n{b}", "d")]  # fmt: skip
        if year is not None:
            rows.append(
                (eid, schema, "date" if schema == "Payment" else "startDate", "date", year, "d")
            )
    rows.sort(key=lambda r: r[0])
    adj = build_adjacency(iter(rows), Meta("x", 0, [], [], [], []))
    reference = nx.Graph()
    reference.add_nodes_from(range(adj.node_count))
    for e in range(adj.edge_count):
        u, v = int(adj.edge_src[e]), int(adj.edge_dst[e])
        if u == v:
            continue
        kind = adj.meta.types[int(adj.edge_type[e])]
        cost = hop_cost(kind, int(adj.edge_start[e]), int(adj.edge_end[e]), TODAY)
        if not reference.has_edge(u, v) or cost < reference[u][v]["cost"]:
            reference.add_edge(u, v, cost=cost)
    return adj, reference


@settings(max_examples=200, deadline=None)
@given(edges=edge_lists, hops=st.integers(1, 5), k=st.integers(1, 4))
def test_k_best_paths_are_the_cheapest_simple_paths(
    edges: list[tuple[int, int, int, str | None]], hops: int, k: int
) -> None:
    adj, reference = _graph(edges)
    view = Visibility(adj, Scope())
    found, cut = best_paths(view, 0, 9, hops, k, TODAY, 100_000)
    assert not cut
    expected = sorted(
        sum(reference[u][v]["cost"] for u, v in pairwise(path))
        for path in nx.all_simple_paths(reference, 0, 9, cutoff=hops)
    )[:k]
    assert [p.cost for p in found] == pytest.approx(expected)
    for path in found:
        assert len(path.edges) <= hops and len(set(path.nodes)) == len(path.nodes)
        for (u, v), e in zip(pairwise(path.nodes), path.edges, strict=True):
            assert {u, v} == {int(adj.edge_src[e]), int(adj.edge_dst[e])}


@settings(max_examples=60, deadline=None)
@given(edges=edge_lists, depth=st.integers(1, 3))
def test_neighbourhood_is_the_ego_graph(
    edges: list[tuple[int, int, int, str | None]], depth: int
) -> None:
    adj, reference = _graph(edges)
    hood = neighbourhood(Visibility(adj, Scope()), 0, depth, 1000)
    assert hood.depth == nx.single_source_shortest_path_length(reference, 0, cutoff=depth)


@settings(max_examples=60, deadline=None)
@given(edges=edge_lists)
def test_betweenness_matches_networkx(edges: list[tuple[int, int, int, str | None]]) -> None:
    adj, reference = _graph(edges)
    measured = centrality(Visibility(adj, Scope()), np.arange(adj.node_count))
    assert measured.betweenness == pytest.approx(nx.betweenness_centrality(reference))
    assert measured.degree == dict(reference.degree())


@settings(max_examples=60, deadline=None)
@given(edges=edge_lists, terminals=st.sets(st.integers(0, 9), min_size=2, max_size=4))
def test_connect_is_a_tree_as_cheap_as_networkx_steiner_tree(
    edges: list[tuple[int, int, int, str | None]], terminals: set[int]
) -> None:
    adj, reference = _graph(edges)
    terms = sorted(terminals)
    tree = connect(Visibility(adj, Scope()), terms, 9, TODAY, 100_000)
    chosen = nx.Graph([(int(adj.edge_src[e]), int(adj.edge_dst[e])) for e in tree.edges])
    assert len(chosen) == 0 or nx.is_forest(chosen)
    groups = {frozenset(g) for g in tree.groups}
    assert groups == {
        frozenset(c & terminals) for c in nx.connected_components(reference) if c & terminals
    }
    if len(groups) == 1 and len(terms) > 1:
        assert nx.is_connected(chosen) and set(terms) <= set(chosen)
        cost = sum(reference[u][v]["cost"] for u, v in chosen.edges)
        # Kou-Markowsky-Berman promises at most twice the optimum.
        assert cost <= 2 * _steiner_optimum(reference, set(terms)) + 1e-9


def _steiner_optimum(graph: nx.Graph, terminals: set[int]) -> float:
    """The exact Steiner tree cost, by trying every set of extra nodes (graphs are tiny)."""
    others = sorted(set(graph) - terminals)
    best = float("inf")
    for mask in range(2 ** len(others)):
        chosen = terminals | {n for i, n in enumerate(others) if mask >> i & 1}
        sub = graph.subgraph(chosen)
        if nx.is_connected(sub):
            best = min(best, nx.minimum_spanning_tree(sub, weight="cost").size(weight="cost"))
    return best
