"""Neighbours on the small fixed graph: depth, types, time, derived links and access."""

from __future__ import annotations

from typing import Any

import pytest

from threadline.errors import NotFoundError
from threadline.graph.service import LinkGraph

GAMMA_ALL = {
    "dir1": {"boris"},
    "gamma<addressEntity>addr1": {"addr1"},
    "unk1": {"anna"},
    "pay1": {"beta"},
    "derived:identifier:gamma<>gamma2": {"gamma2"},
}

CASES: list[tuple[str, str, dict[str, Any], set[str], set[str]]] = [
    ("gamma, everything", "gamma", {}, {"gamma", "boris", "addr1", "anna", "beta", "gamma2"}, set(GAMMA_ALL)),
    ("no derived links", "gamma", {"derived": False}, {"gamma", "boris", "addr1", "anna", "beta"}, set(GAMMA_ALL) - {"derived:identifier:gamma<>gamma2"}),
    ("only reg", "gamma", {"datasets": ["reg"]}, {"gamma", "boris", "addr1"}, {"dir1", "gamma<addressEntity>addr1"}),
    ("types", "gamma", {"types": ["Payment", "UnknownLink"]}, {"gamma", "anna", "beta"}, {"pay1", "unk1"}),
    ("at 2011", "gamma", {"at": "2011-05-01"}, {"gamma", "boris", "addr1", "anna", "gamma2"}, set(GAMMA_ALL) - {"pay1"}),
    ("between", "gamma", {"between": ("2020", "2022")}, {"gamma", "addr1", "anna", "beta", "gamma2"}, set(GAMMA_ALL) - {"dir1"}),
    ("an address", "addr1", {}, {"addr1", "beta", "gamma"}, {"beta<addressEntity>addr1", "gamma<addressEntity>addr1"}),
    ("depth 2", "anna", {"depth": 2}, {"anna", "alpha", "boris", "gamma", "beta", "addr1", "gamma2"},
     {"own1", "fam1", "unk1", "own2", "dir1", "pay1", "gamma<addressEntity>addr1", "derived:identifier:gamma<>gamma2"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "start", "options", "nodes", "edges"), CASES, ids=[c[0] for c in CASES]
)
def test_neighbours(
    graph: LinkGraph,
    label: str,
    start: str,
    options: dict[str, Any],
    nodes: set[str],
    edges: set[str],
) -> None:
    result = graph.neighbours(start, **options)
    assert {n.id for n in result.nodes} == nodes, label
    assert {e.id for e in result.edges} == edges, label
    assert len(result.edges) == len(edges)  # no edge twice


def test_depths_and_details(graph: LinkGraph) -> None:
    result = graph.neighbours("anna", depth=2)
    assert result.depth["anna"] == 0
    assert (result.depth["gamma"], result.depth["beta"], result.depth["gamma2"]) == (1, 2, 2)
    nodes = {n.id: n for n in result.nodes}
    assert (nodes["gamma"].caption, nodes["gamma"].schema, nodes["gamma"].datasets) == (
        "Gamma Build",
        "Company",
        ["reg"],
    )
    edges = {e.id: e for e in result.edges}
    assert edges["pay1"].datasets == ["leak"] and edges["pay1"].start == "2021-06-01"
    assert edges["dir1"].end == "2012-12-31"
    assert edges["derived:identifier:gamma<>gamma2"].derived


def test_limit_truncates_nearest_first(graph: LinkGraph) -> None:
    result = graph.neighbours("anna", depth=2, limit=3)
    assert result.truncated
    assert {n.id for n in result.nodes} == {"anna", "alpha", "boris"}
    assert all({e.source, e.target} <= {"anna", "alpha", "boris"} for e in result.edges)


def test_captions_come_only_from_readable_datasets(graph: LinkGraph) -> None:
    # gamma2 is only in leak: reading reg only, it does not exist.
    with pytest.raises(NotFoundError):
        graph.neighbours("gamma2", datasets=["reg"])
    assert {n.id for n in graph.neighbours("gamma2", datasets=["leak"]).nodes} == {"gamma2"}
