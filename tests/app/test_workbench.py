"""The Workbench facade end to end: entity views with provenance, links, export, reindex."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.errors import NotFoundError

GRAPH = [
    entity("acme", "Company", name="Acme Holding GmbH", country="de"),
    entity("bob", "Person", name="Bob Builder"),
    entity("own1", "Ownership", owner="bob", asset="acme", percentage="60", startDate="2020-01-01"),
    entity("dir1", "Directorship", director="bob", organization="acme", role="CEO"),
    entity("pay1", "Payment", payer="acme", beneficiary="bob", amount="1000", currency="EUR"),
    entity("addr", "Address", full="1 Main St, Berlin"),
    entity("acme", "Company", addressEntity="addr"),
]


@pytest.fixture
def graph(bench: Workbench, tmp_path: Path) -> Workbench:
    bench.ingest([write_entities(tmp_path / "graph.ijson", GRAPH)], "registry")
    return bench


def test_entity_view_has_provenance_for_every_value(graph: Workbench) -> None:
    view = graph.entity("acme")
    assert view.entity.caption == "Acme Holding GmbH"
    facts = {(f.prop, f.value): f for f in view.entity.facts()}
    name = facts[("name", "Acme Holding GmbH")]
    assert (name.dataset, name.source_name, name.location) == ("registry", "graph.ijson", 1)
    assert len(name.source) == 64  # sha256 of the file
    assert facts[("addressEntity", "addr")].location == 7


def test_entity_view_lists_direct_relationships(graph: Workbench) -> None:
    links = {(r.direction, r.schema, r.prop): r for r in graph.entity("acme").relationships}
    assert set(links) == {
        ("in", "Ownership", "asset"),
        ("in", "Directorship", "organization"),
        ("in", "Payment", "payer"),
        ("out", "Address", "addressEntity"),
    }
    ownership = links[("in", "Ownership", "asset")]
    assert [(o.id, o.prop, o.caption) for o in ownership.others] == [
        ("bob", "owner", "Bob Builder")
    ]


def test_a_merged_entity_is_never_its_own_other_end(graph: Workbench, tmp_path: Path) -> None:
    # The leak holds Bob again, paying Acme; once merged, Bob's links name Acme (and
    # the other party of each edge), never one of Bob's own records.
    leak = [
        entity("bob-leak", "Person", name="Bob Builder"),
        entity("pay2", "Payment", payer="bob-leak", beneficiary="acme", amount="50"),
        entity("own2", "Ownership", owner="bob-leak", asset="acme", percentage="40"),
    ]
    graph.ingest([write_entities(tmp_path / "leak.ijson", leak)], "leak")
    graph.judge("bob", "bob-leak", "same")
    view = graph.entity("bob")
    ends = {(r.schema, r.prop, o.id) for r in view.relationships for o in r.others}
    assert ends == {
        ("Ownership", "owner", "acme"),
        ("Directorship", "director", "acme"),
        ("Payment", "beneficiary", "acme"),
        ("Payment", "payer", "acme"),
    }
    assert all(o.id not in {"bob", "bob-leak"} for r in view.relationships for o in r.others)


def test_unknown_entity_is_a_clear_error(graph: Workbench) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        graph.entity("nope")


def test_datasets_counts(graph: Workbench) -> None:
    (stats,) = graph.datasets()
    assert (stats.name, stats.entities, stats.sources) == ("registry", 6, 1)
    assert stats.statements == graph.store.count_statements()


def test_export_streams_ftm_entities(graph: Workbench) -> None:
    exported = {e["id"]: e for e in graph.export()}
    assert set(exported) == {"acme", "bob", "own1", "dir1", "pay1", "addr"}
    assert exported["acme"]["properties"]["addressEntity"] == ["addr"]
    assert exported["acme"]["datasets"] == ["registry"]
    assert list(graph.export(dataset="registry")) == list(exported.values())
    with pytest.raises(NotFoundError):
        list(graph.export(dataset="nope"))
    with pytest.raises(ValueError, match="format"):
        list(graph.export(format="pdf"))


def test_export_reingests_to_the_same_entities(graph: Workbench, tmp_path: Path) -> None:
    path = write_entities(tmp_path / "export.ijson", list(graph.export()))
    with Workbench(data_dir=tmp_path / "other") as other:
        other.ingest([path], "registry")
        again = [{k: v for k, v in e.items()} for e in other.export()]
    assert again == list(graph.export())


def test_paths_may_be_given_as_strings(tmp_path: Path) -> None:
    """A library user passes plain strings, as `open()` takes them."""
    path = write_entities(tmp_path / "graph.ijson", GRAPH)
    with Workbench(data_dir=str(tmp_path / "strings")) as bench:
        [report] = bench.ingest([str(path)], "registry")
        assert report.entities == 6
        assert bench.data_dir == (tmp_path / "strings").resolve()
        assert {e["id"] for e in bench.export()} == {e["id"] for e in GRAPH}


def test_reindex_rebuilds_the_same_index(graph: Workbench) -> None:
    before = graph.search("acme bob", limit=50)
    graph.index.clear()
    # A cleared index reflects no generation of the store: search rebuilds it first.
    assert graph.index.generation() is None
    assert graph.search("acme bob", limit=50) == before
    assert graph.reindex() == 6
    assert graph.search("acme bob", limit=50) == before
