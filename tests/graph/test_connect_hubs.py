"""Who connects entities (Steiner tree), and hubs (centrality) on the small fixed graph."""

from __future__ import annotations

import networkx as nx
import pytest

from threadline.graph.service import LinkGraph


def test_connect_joins_terminals_with_the_cheapest_tree(graph: LinkGraph) -> None:
    result = graph.connect(["anna", "beta", "boris"])
    assert {n.id for n in result.nodes} == {"anna", "alpha", "beta", "boris"}
    assert {e.id for e in result.edges} == {"own1", "own2", "fam1"}
    assert result.groups == [["anna", "beta", "boris"]]


def test_connect_keeps_steiner_points_only_where_needed(graph: LinkGraph) -> None:
    result = graph.connect(["boris", "beta"], types=["Directorship", "Payment", "Family"])
    assert {e.id for e in result.edges} == {"dir1", "pay1"}
    assert {n.id for n in result.nodes} == {"boris", "gamma", "beta"}


def test_connect_reports_terminals_it_cannot_join(graph: LinkGraph) -> None:
    result = graph.connect(["anna", "alpha", "delta"], datasets=["reg", "leak"], derived=False)
    assert result.groups == [["anna", "alpha"], ["delta"]]
    assert {e.id for e in result.edges} == {"own1"}


def test_connect_needs_two(graph: LinkGraph) -> None:
    with pytest.raises(ValueError, match="at least two"):
        graph.connect(["anna"])


def test_hubs_of_a_dataset_match_networkx(graph: LinkGraph) -> None:
    ranking = graph.hubs(dataset="reg", limit=10)
    expected = nx.Graph(
        [("anna", "alpha"), ("alpha", "beta"), ("anna", "boris"), ("anna", "gamma"),
         ("boris", "gamma"), ("gamma", "beta"), ("gamma", "addr1"), ("beta", "addr1")]
    )  # fmt: skip
    betweenness = nx.betweenness_centrality(expected)
    assert (ranking.nodes, ranking.edges, ranking.betweenness) == (6, 8, "exact")
    assert {h.node.id: h.betweenness for h in ranking.hubs} == pytest.approx(betweenness)
    assert {h.node.id: h.degree for h in ranking.hubs} == dict(expected.degree())
    assert ranking.hubs[0].node.id == "gamma"
    scores = [(h.betweenness, h.degree) for h in ranking.hubs]
    assert scores == sorted(scores, reverse=True)


def test_hubs_of_given_ids_and_limit(graph: LinkGraph) -> None:
    ranking = graph.hubs(ids=["anna", "alpha", "beta"], limit=1)
    assert [h.node.id for h in ranking.hubs] == ["alpha"]
    assert (ranking.nodes, ranking.edges) == (3, 2)


def test_hubs_respect_filters(graph: LinkGraph) -> None:
    ranking = graph.hubs(dataset="reg", datasets=["reg"])
    assert ranking.edges == 5  # the leak's family, unknown link and payment are unreadable
