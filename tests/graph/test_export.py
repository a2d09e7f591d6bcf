"""Exports parse back with networkx, with every node and edge and their details."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from threadline.graph.service import LinkGraph

NODES = {"anna", "boris", "alpha", "beta", "gamma", "addr1", "delta", "gamma2"}
EDGES = {
    ("anna", "alpha", "own1"),
    ("alpha", "beta", "own2"),
    ("boris", "gamma", "dir1"),
    ("anna", "boris", "fam1"),
    ("anna", "gamma", "unk1"),
    ("gamma", "beta", "pay1"),
    ("beta", "addr1", "beta<addressEntity>addr1"),
    ("gamma", "addr1", "gamma<addressEntity>addr1"),
    ("beta", "delta", "derived:address:beta<>delta"),
    ("gamma", "gamma2", "derived:identifier:gamma<>gamma2"),
}


def _read(format: str, text: str) -> nx.MultiDiGraph:
    if format == "gexf":
        return nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    if format == "graphml":
        return nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    return nx.cytoscape_graph(json.loads(text))


def _edge_ids(graph: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    if graph.is_multigraph():  # graphml keeps the edge id as the key, the others as data too
        return {(u, v, d.get("id", k)) for u, v, k, d in graph.edges(keys=True, data=True)}
    return {(u, v, d["id"]) for u, v, d in graph.edges(data=True)}


@pytest.mark.parametrize("format", ["gexf", "graphml", "cyjs"])
def test_export_parses_back(graph: LinkGraph, format: str) -> None:
    text = "".join(graph.export(format))
    parsed = _read(format, text)
    assert parsed.is_directed()
    assert set(parsed.nodes) == NODES
    assert _edge_ids(parsed) == EDGES
    label = "name" if format == "cyjs" else "label"
    assert parsed.nodes["gamma"][label] == "Gamma Build"
    assert parsed.nodes["gamma"]["schema"] == "Company"
    assert parsed.nodes["addr1"][label] == "Hafenstraße 1, 20457 Hamburg"


@pytest.mark.parametrize("format", ["gexf", "graphml", "cyjs"])
def test_export_of_one_dataset(graph: LinkGraph, format: str) -> None:
    parsed = _read(format, "".join(graph.export(format, dataset="leak")))
    # Only leak's own entities; its links lead to reg's, which it cannot show.
    assert set(parsed.nodes) == {"delta", "gamma2"}
    assert parsed.number_of_edges() == 0


def test_export_edge_details(graph: LinkGraph) -> None:
    parsed = _read("graphml", "".join(graph.export("graphml")))
    pay = parsed.edges["gamma", "beta", "pay1"]
    assert (pay["type"], pay["start"], pay["end"], pay["datasets"]) == (
        "Payment",
        "2021-06-01",
        "2021-06-01",
        "leak",
    )
    assert pay["weight"] == 0.75
    assert parsed.edges["beta", "delta", "derived:address:beta<>delta"]["derived"] is True


def test_export_escapes_what_xml_cannot_hold(tmp_path: object) -> None:
    from threadline.graph.export import gexf, graphml
    from threadline.graph.results import GraphNode

    node = GraphNode('a"<&>\x01b', "Person", 'Ann <the> "one" & \x07only', ["x"])
    for writer, reader in ((gexf, nx.read_gexf), (graphml, nx.read_graphml)):
        parsed = reader(io.BytesIO("".join(writer([node], [])).encode("utf-8")))
        assert list(parsed.nodes) == ['a"<&>b']


def test_unknown_format(graph: LinkGraph) -> None:
    with pytest.raises(ValueError, match="Unknown graph format"):
        graph.export("dot")
