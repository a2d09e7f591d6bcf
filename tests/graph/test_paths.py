"""Ranked paths on the small fixed graph: golden paths, ranking, k, filters and access."""

from __future__ import annotations

from typing import Any

import pytest

from threadline.errors import NotFoundError
from threadline.graph.service import LinkGraph

# The five simple paths from anna to beta, and their costs on 2026-01-01 (see conftest).
A = ["anna", "alpha", "beta"]  # Ownership, Ownership: both ongoing
B = ["anna", "gamma", "beta"]  # UnknownLink (undated), Payment 2021-06-01
D = ["anna", "boris", "gamma", "beta"]  # Family, Directorship 2010..2012, Payment
C = ["anna", "gamma", "addr1", "beta"]  # UnknownLink, addressEntity, addressEntity
E = ["anna", "boris", "gamma", "addr1", "beta"]

GOLDEN: list[tuple[str, dict[str, Any], list[list[str]]]] = [
    ("k=3 cheapest first", {"k": 3}, [A, B, D]),
    ("every simple path", {"k": 10}, [A, B, D, C, E]),
    ("hop limit", {"k": 10, "max_hops": 2}, [A, B]),
    ("too few hops", {"max_hops": 1}, []),
    ("one type", {"k": 10, "types": ["Ownership"]}, [A]),
    (
        "types exclude the unknown link",
        {"k": 10, "types": ["Family", "Directorship", "Payment", "Ownership"]},
        [A, D],
    ),
    ("at a date", {"k": 10, "at": "2016"}, [C]),
    ("between dates", {"k": 10, "between": ("2011", "2013")}, [C, E]),
    ("readable datasets", {"k": 10, "datasets": ["reg"]}, [A]),
]


@pytest.mark.parametrize(("label", "options", "expected"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_paths(
    graph: LinkGraph, label: str, options: dict[str, Any], expected: list[list[str]]
) -> None:
    result = graph.path("anna", "beta", **options)
    assert [p.node_ids for p in result.paths] == expected, label
    assert [p.rank for p in result.paths] == list(range(1, len(expected) + 1))
    assert not result.truncated


def test_costs_and_explanation(graph: LinkGraph) -> None:
    first, second, third = graph.path("anna", "beta", k=3).paths
    assert (first.hops, first.weakness, first.age, first.cost) == (2, 0.0, 0.0, 2.0)
    assert first.edge_ids == ["own1", "own2"]
    assert first.newest == "ongoing"
    assert second.edge_ids == ["unk1", "pay1"]
    assert second.weakness == pytest.approx(0.85)
    # The unknown link is undated (0.25); the payment ended 1,675 days before today.
    assert second.age == pytest.approx(0.25 + 0.5 * 1675 / 7300, abs=1e-4)
    assert second.cost == pytest.approx(2 + second.weakness + second.age, abs=1e-4)
    assert third.hops == 3 and third.cost > second.cost
    assert "2 hops + weakness 0.85 (UnknownLink 0.40, Payment 0.75)" in second.explanation
    assert second.explanation.endswith(f"= cost {second.cost:.2f}")


def test_path_lists_every_node_and_edge(graph: LinkGraph) -> None:
    path = graph.path("anna", "beta", k=1).paths[0]
    assert [n.id for n in path.nodes] == path.node_ids
    assert [e.id for e in path.edges] == path.edge_ids
    assert [n.caption for n in path.nodes] == ["Anna Berg", "Alpha Holding", "Beta Trading"]
    own2 = path.edges[1]
    assert (own2.type, own2.source, own2.target, own2.start, own2.end) == (
        "Ownership",
        "alpha",
        "beta",
        "2018-03-01",
        None,
    )


def test_paths_follow_links_against_their_direction(graph: LinkGraph) -> None:
    backwards = graph.path("beta", "anna", k=1).paths[0]
    assert backwards.node_ids == list(reversed(A))
    assert backwards.cost == 2.0


def test_path_to_itself_is_empty(graph: LinkGraph) -> None:
    only = graph.path("anna", "anna").paths
    assert [(p.node_ids, p.edge_ids, p.cost) for p in only] == [(["anna"], [], 0.0)]


def test_derived_links_can_be_left_out(graph: LinkGraph) -> None:
    via_address = graph.path("alpha", "delta", k=1).paths[0]
    assert via_address.node_ids == ["alpha", "beta", "delta"]
    assert via_address.edge_ids[-1] == "derived:address:beta<>delta"
    assert graph.path("alpha", "delta", derived=False).paths == []


def test_entities_outside_the_readable_datasets_are_not_found(graph: LinkGraph) -> None:
    with pytest.raises(NotFoundError):
        graph.path("anna", "delta", datasets=["reg"])
    with pytest.raises(NotFoundError):
        graph.path("anna", "nobody")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"types": ["Ownershp"]}, "Unknown link type"),
        ({"at": "last week"}, "Not a date"),
        ({"at": "2020", "between": ("2019", "2021")}, "not both"),
        ({"between": ("2021", "2019")}, "ends before it starts"),
        ({"k": 0}, "at least 1"),
    ],
)
def test_bad_options(graph: LinkGraph, options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        graph.path("anna", "beta", **options)
