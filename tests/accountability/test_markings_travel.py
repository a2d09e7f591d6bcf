"""Markings travel with the data into search hits, graph exports and case bundles
(issue 12), as they already do into entity views and exports.

gamma is marked `confidential`; Ivy reads alpha and gamma and is cleared for it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import orjson
import pytest

from threadline.app.context import Context
from threadline.app.workbench import Workbench

PURPOSE = "markings tests"
MARK = "confidential"


def cleared(bench: Workbench) -> Workbench:
    """The world with gamma marked, acting for Ivy, who reads alpha and gamma."""
    bench.mark("gamma", MARK)
    access = bench.accountability.access
    access.add_user("ivy", "investigator")
    for dataset in ("alpha", "gamma"):
        access.grant("ivy", dataset, "read")
    bench.clear("ivy", MARK)
    return bench.acting(Context(actor="ivy", purpose=PURPOSE))


def test_search_hits_carry_their_collections_markings(bench: Workbench) -> None:
    ivy = cleared(bench)
    hits = {h.id: h for h in ivy.search("cobalt").hits + ivy.search("acme").hits}
    assert hits["c-c1"].markings == [MARK]
    assert hits["a-c1"].markings == []  # alpha carries none
    # Read at query time, not from the index: unmarking shows on the next search.
    bench.mark("gamma", MARK, on=False)
    assert next(h for h in ivy.search("cobalt").hits if h.id == "c-c1").markings == []


def test_a_merged_hit_carries_the_markings_of_every_readable_part(bench: Workbench) -> None:
    ivy = cleared(bench)
    ivan = next(h for h in ivy.search("ivan petrov").hits if h.id == "a-p1")
    assert sorted(ivan.datasets) == ["alpha", "gamma"]
    assert ivan.markings == [MARK]
    # The entity view says the same, from the same function.
    assert ivy.entity("a-p1").markings == [MARK]


def _parse(format: str, text: str) -> nx.Graph:
    if format == "gexf":
        return nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    if format == "graphml":
        return nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    return nx.cytoscape_graph(json.loads(text))


def _as_list(value: object) -> list[str]:
    """A markings attribute: a list in Cytoscape JSON, `;`-joined text in XML."""
    if isinstance(value, list):
        return value
    return [v for v in str(value or "").split(";") if v]


def _edges(graph: nx.Graph) -> dict[str, dict[str, object]]:
    """Edge details by edge id (graphml keeps the id as the key, the others as data)."""
    if graph.is_multigraph():
        return {d.get("id", k): d for _, _, k, d in graph.edges(keys=True, data=True)}
    return {d["id"]: d for _, _, d in graph.edges(data=True)}


@pytest.mark.parametrize("format", ["gexf", "graphml", "cyjs"])
def test_graph_exports_carry_markings_on_nodes_and_edges(bench: Workbench, format: str) -> None:
    ivy = cleared(bench)
    graph = _parse(format, "".join(ivy.graph_export(format)))
    nodes = dict(graph.nodes(data=True))
    assert _as_list(nodes["c-c1"]["markings"]) == [MARK]  # Cobalt Mining, gamma only
    assert _as_list(nodes["a-c1"]["markings"]) == []  # Acme, alpha (delta is hidden)
    assert _as_list(nodes["a-p1"]["markings"]) == [MARK]  # Ivan: alpha and gamma
    edges = _edges(graph)
    assert _as_list(edges["c-o1"]["markings"]) == [MARK]  # gamma's ownership
    assert _as_list(edges["a-o1"]["markings"]) == []
    # Every node and edge says, even when it is unmarked.
    assert all("markings" in d for _, d in graph.nodes(data=True))
    assert all("markings" in d for d in edges.values())


def test_a_case_bundle_lists_markings_of_pins_statements_and_entities(
    bench: Workbench, tmp_path: Path
) -> None:
    ivy = cleared(bench)
    case = ivy.case_create("cobalt", PURPOSE, ["alpha", "gamma"]).id
    ivy.case_pin(case, "c-c1")
    ivy.case_pin(case, "a-c1")
    cobalt = ivy.entity("c-c1").entity.facts()[0].statement_id
    ivy.case_note(case, f"see [[stmt:{cobalt}]] and [[entity:a-p2]]")
    json_path, html_path = ivy.case_export(case, tmp_path / "out")
    bundle = orjson.loads(json_path.read_bytes())
    assert bundle["markings"] == [MARK]
    pins = {p["entity_id"]: p["markings"] for p in bundle["pins"]}
    assert pins == {"c-c1": [MARK], "a-c1": []}
    entities = {e["id"]: e["markings"] for e in bundle["entities"]}
    assert entities == {"c-c1": [MARK], "a-c1": [], "a-p2": []}
    for statement in bundle["statements"]:
        expected = [MARK] if statement["dataset"] == "gamma" else []
        assert statement["markings"] == expected, statement
    assert any(s["id"] == cobalt for s in bundle["statements"])
    assert f"<th>markings</th><td>{MARK}</td>" in html_path.read_text()
