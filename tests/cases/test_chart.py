"""Charts saved into a case: the drawing's checks, its stores, its image, and the verbs
that save it, list it and put it in the evidence bundle (audited, within reach)."""

from __future__ import annotations

import base64
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.cases.conftest import team_case
from tests.cli.runner import cli, ok
from tests.conftest import entity, write_entities
from threadline.access.errors import AccessDenied
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind
from threadline.cases.case import new_case
from threadline.cases.chart import (
    Chart,
    ChartEdge,
    ChartNode,
    chart_body,
    chart_from,
    drawing_from,
    new_chart,
    within,
)
from threadline.cases.chartimage import chart_html, chart_json, chart_svg
from threadline.cases.errors import CaseError, CaseNotFound
from threadline.cases.report import render_html
from threadline.cases.store import CaseStore

XSS = '<img src=x onerror="alert(1)">&'
NODES = [
    ChartNode("p1", "Ivan Petrov", "Person", 0.0, 0.0, "#1f77b4", pinned=True, note="key"),
    ChartNode("c1", XSS, "Company", 120.5, -40.0, group="Shells"),
    ChartNode("c2", "Hidden Ltd", "Company", 5000.0, 5000.0, hidden=True),
]
EDGES = [ChartEdge("p1", "c1", "Ownership", "o1"), ChartEdge("c1", "c2", "Ownership", "o2")]


def chart(**changes: object) -> Chart:
    values: dict[str, object] = {"now": "2026-02-01T10:00:00", "chart_id": "ch1"}
    values.update(changes)
    return new_chart(team_case(), "bob", " Who owns Acme ", NODES, EDGES, "a note", **values)  # type: ignore[arg-type]  # keyword values of mixed types


def test_a_chart_keeps_its_drawing() -> None:
    made = chart()
    assert (made.id, made.case_id, made.title, made.created_by) == (
        "ch1",
        "c1",
        "Who owns Acme",
        "bob",
    )
    assert made.nodes == tuple(NODES) and made.edges == tuple(EDGES)
    assert (
        chart_from(
            {
                "id": "ch1",
                "case_id": "c1",
                "title": made.title,
                "created_by": "bob",
                "created_at": made.created_at,
            },
            orjson.loads(orjson.dumps(chart_body(made))),
        )
        == made
    )


@pytest.mark.parametrize(
    ("nodes", "edges", "title", "field"),
    [
        ([], [], "t", "nodes"),
        (NODES, [], " ", "title"),
        (NODES, [], "x" * 201, "title"),
        ([*NODES, NODES[0]], [], "t", "nodes"),
        ([ChartNode("p1", "P", "Person", math.nan, 0.0)], [], "t", "nodes.x"),
        ([ChartNode("p1", "P", "Person", 0.0, 1e9)], [], "t", "nodes.y"),
        ([ChartNode("p1", "P", "Person", 0.0, 0.0, "red")], [], "t", "nodes.color"),
        ([ChartNode(" ", "P", "Person", 0.0, 0.0)], [], "t", "nodes.entity_id"),
        (NODES[:1], [ChartEdge("p1", "elsewhere", "Ownership")], "t", "edges"),
    ],
)
def test_a_bad_drawing_is_refused_naming_the_field(
    nodes: list[ChartNode], edges: list[ChartEdge], title: str, field: str
) -> None:
    with pytest.raises(CaseError, match=rf"^{re.escape(field)}:"):
        new_chart(team_case(), "bob", title, nodes, edges)


def test_only_editors_save_and_only_known_entities() -> None:
    with pytest.raises(AccessDenied):
        new_chart(team_case(), "carol", "t", NODES)
    with pytest.raises(CaseError, match=r"^nodes: 1 entities are unknown to this case: c2"):
        new_chart(team_case(), "bob", "t", NODES, known_entities=lambda ids: ids - {"c2"})


def test_drawing_from_json_names_the_bad_field() -> None:
    nodes, edges = drawing_from(
        {
            "nodes": [{"entity_id": "p1", "x": 1, "y": 2.5}],
            "edges": [{"source": "p1", "target": "p1", "type": "Family"}],
        }
    )
    assert nodes == [ChartNode("p1", "p1", "", 1.0, 2.5)]
    assert edges == [ChartEdge("p1", "p1", "Family")]
    with pytest.raises(CaseError, match=r"^nodes\[0\]\.x: expected float"):
        drawing_from({"nodes": [{"entity_id": "p1", "x": "left", "y": 0}]})
    with pytest.raises(CaseError, match=r"^edges\[0\]\.type: expected str"):
        drawing_from({"nodes": [], "edges": [{"source": "a", "target": "b"}]})


def test_within_keeps_only_what_a_reader_reaches() -> None:
    cut = within(chart(), {"p1", "c1"})
    assert [n.entity_id for n in cut.nodes] == ["p1", "c1"]
    assert cut.edges == (EDGES[0],)


def test_the_image_draws_names_as_text_and_leaves_hidden_nodes_out() -> None:
    svg = chart_svg(chart())
    root = ET.fromstring(svg)  # well-formed: the payload is escaped
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert any(t and t.startswith('<img src=x onerror="alert') for t in texts)
    assert "<img" not in svg
    assert len(list(root.iter(f"{ns}circle"))) == 2  # c2 is hidden
    assert "Hidden Ltd" not in svg
    assert "Shells" in texts  # the group's frame is labelled
    assert "Ownership" in texts  # edge labels


def test_the_bundle_lists_nodes_with_their_datasets_and_shows_the_image() -> None:
    item = chart_json(chart(), {"p1": {"alpha", "beta"}, "c1": {"alpha"}})
    assert [(n["entity_id"], n["datasets"]) for n in item["nodes"]] == [
        ("p1", ["alpha", "beta"]),
        ("c1", ["alpha"]),
        ("c2", []),
    ]
    html = chart_html(item)
    assert XSS not in html and "&lt;img src=x" in html
    image = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert image is not None
    assert base64.b64decode(image.group(1)).decode("utf-8") == item["svg"]


def test_stores_keep_charts_per_case(cases: CaseStore) -> None:
    cases.add_case(team_case())
    other = new_case("Other", "Other work", ["a"], "alice", case_id="c2")
    cases.add_case(other)
    first, second = chart(), chart(chart_id="ch2", now="2026-02-02T00:00:00")
    cases.add_chart(second)
    cases.add_chart(first)
    assert cases.charts("c1") == [first, second]
    assert cases.charts("c2") == []
    with pytest.raises(CaseError, match="already taken"):
        cases.add_chart(first)
    with pytest.raises(CaseNotFound):
        cases.charts("nope")


# The verbs, on a real workbench: two collections, a reader of one of them.
@pytest.fixture
def world_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    alpha = [
        entity("p1", "Person", name="Ivan Petrov"),
        entity("c1", "Company", name=XSS),
        entity("o1", "Ownership", owner="p1", asset="c1"),
    ]
    beta = [entity("c2", "Company", name="Borealis Trading")]
    with Workbench(data_dir=tmp_path / "data") as bench:
        bench.ingest([write_entities(folder / "alpha.ijson", alpha)], "alpha")
        bench.ingest([write_entities(folder / "beta.ijson", beta)], "beta")
        bench.user_add("ivy", "investigator")
        bench.grant("ivy", "alpha", "read")
    return tmp_path / "data"


@pytest.fixture
def world(world_dir: Path) -> Iterator[Workbench]:
    # Opened afresh, as a server would be, so every collection is known.
    with Workbench(data_dir=world_dir) as bench:
        yield bench


def test_the_cli_saves_and_lists_charts(world_dir: Path, tmp_path: Path) -> None:
    case_id = ok(world_dir, "case", "create", "Acme", "--purpose", "who owns Acme").stdout.strip()
    drawing = {
        "title": "Acme chart",
        "nodes": [{"entity_id": "p1", "x": 0, "y": 0}, {"entity_id": "c1", "x": 50, "y": 5}],
        "edges": [{"source": "p1", "target": "c1", "type": "Ownership"}],
    }
    path = tmp_path / "chart.json"
    path.write_bytes(orjson.dumps(drawing))
    saved = ok(world_dir, "case", "chart", case_id, str(path), "--json").json()
    assert isinstance(saved, dict)
    assert (saved["title"], [n["entity_id"] for n in saved["nodes"]]) == (
        "Acme chart",
        ["p1", "c1"],
    )
    listed = ok(world_dir, "case", "charts", case_id, "--json").json()
    assert listed == [saved]
    assert saved["id"] in ok(world_dir, "case", "charts", case_id).stdout
    path.write_bytes(orjson.dumps({**drawing, "nodes": [{"entity_id": "p1", "x": "left", "y": 0}]}))
    refused = cli(world_dir, "case", "chart", case_id, str(path))
    assert refused.code != 0 and "nodes[0].x: expected float" in refused.stderr


def test_saving_listing_and_bundling_a_chart(world: Workbench, tmp_path: Path) -> None:
    admin = world.acting(Context(purpose="chart tests"))
    case = admin.case_create("Acme", "Who owns Acme", "all")
    nodes = [
        ChartNode("p1", "Ivan Petrov", "Person", 0, 0),
        ChartNode("c1", XSS, "Company", 90, 10),
    ]
    nodes.append(ChartNode("c2", "Borealis Trading", "Company", 40, 80, note="check"))
    saved = admin.case_chart(case.id, "Acme chart", nodes, [ChartEdge("p1", "c1", "Ownership")])
    event = world.accountability.log.entries(world.accountability.log.size() - 1)
    last = [e.event() for e in event][-1]
    assert (last.action, last.kind, last.case_id) == ("case.chart", ActionKind.ALTERATION, case.id)
    assert list(last.object_ids) == [f"case:{case.id}", f"chart:{saved.id}", "p1", "c1", "c2"]
    assert admin.case_charts(case.id) == [saved]

    paths = admin.case_export(case.id, tmp_path / "out")
    bundle = orjson.loads(paths[0].read_bytes())
    (item,) = bundle["charts"]
    assert [(n["entity_id"], n["datasets"]) for n in item["nodes"]] == [
        ("p1", ["alpha"]),
        ("c1", ["alpha"]),
        ("c2", ["beta"]),
    ]
    html = paths[1].read_text("utf-8")
    assert "<h2>Charts</h2>" in html and "data:image/svg+xml;base64," in html
    assert XSS not in html
    exported = [e.event() for e in world.accountability.log.entries()][-1]
    assert exported.action == "case.export" and f"chart:{saved.id}" in exported.object_ids

    # A member who reads only alpha sees the chart without beta's entity.
    admin.case_member(case.id, "ivy", "editor")
    ivy = world.acting(Context(actor="ivy", purpose="chart tests"))
    (seen,) = ivy.case_charts(case.id)
    assert [n.entity_id for n in seen.nodes] == ["p1", "c1"]
    # ...and cannot save a chart of an entity outside her reach.
    with pytest.raises(CaseError, match=r"^nodes: 1 entities are unknown to this case: c2"):
        ivy.case_chart(case.id, "Mine", nodes)
    # A reader may list but not save.
    admin.case_member(case.id, "ivy", "reader")
    with pytest.raises(AccessDenied):
        ivy.case_chart(case.id, "Mine", nodes[:1])


def test_a_bundle_report_without_charts_has_no_charts_section() -> None:
    bundle = {
        "format": "x",
        "generated_by": "a",
        "generated_at": "t",
        "case": {
            "id": "c",
            "name": "n",
            "purpose": "p",
            "created_by": "a",
            "created_at": "t",
            "sources": "all",
            "members": [],
        },
        "notes": [],
        "statements": [],
        "unavailable": [],
        "entities": [],
        "pins": [],
        "timeline": [],
        "charts": [],
    }
    assert "Charts" not in render_html(bundle)
