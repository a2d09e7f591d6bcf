"""The adjacency view is derived: saved, reopened, rebuilt when stale, same answers after."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from tests.graph.conftest import load_small
from threadline.app.workbench import Workbench
from threadline.graph.cache import ViewCache
from threadline.graph.service import LinkGraph
from threadline.settings import Settings


def _answers(bench: Workbench) -> list[object]:
    """A golden query set: the same questions before and after a rebuild."""
    return [
        [p.node_ids for p in bench.graph_path("anna", "beta", k=10).paths],
        [p.edge_ids for p in bench.graph_path("delta", "boris", k=3).paths],
        sorted(n.id for n in bench.graph_neighbours("anna", depth=3).nodes),
        sorted(e.id for e in bench.graph_connect(["anna", "beta", "gamma2"]).edges),
        [(h.node.id, h.degree) for h in bench.graph_hubs(dataset="reg").hubs],
        "".join(bench.graph_export("graphml")),
    ]


def test_rebuild_gives_the_same_answers(tmp_path: Path) -> None:
    with Workbench(data_dir=tmp_path / "data") as bench:
        load_small(bench, tmp_path)
        before = _answers(bench)
        stats = bench.graph_rebuild()
        assert (stats.nodes, stats.edges) == (8, 10)
        assert stats.types["Ownership"] == 2 and stats.types["derived:address"] == 1
        assert _answers(bench) == before
    with Workbench(data_dir=tmp_path / "data") as reopened:
        assert _answers(reopened) == before


def test_the_saved_view_is_reused_and_rebuilt_when_stale(tmp_path: Path) -> None:
    with Workbench(data_dir=tmp_path / "data") as bench:
        load_small(bench, tmp_path)
        bench.graph_neighbours("anna")
    meta = tmp_path / "data" / "graph" / "meta.json"
    built = meta.stat().st_mtime_ns
    with Workbench(data_dir=tmp_path / "data") as bench:
        assert {n.id for n in bench.graph_neighbours("anna").nodes} == {
            "anna",
            "alpha",
            "boris",
            "gamma",
        }
        assert meta.stat().st_mtime_ns == built  # opened, not rebuilt
        more = [
            entity("own9", "Ownership", owner="anna", asset="zeta"),
            entity("zeta", "Company", name="Zeta"),
        ]
        bench.ingest([write_entities(tmp_path / "more.ijson", more)], "more")
        assert "zeta" in {n.id for n in bench.graph_neighbours("anna").nodes}
    assert meta.stat().st_mtime_ns != built


def test_a_view_of_another_store_is_not_used(tmp_path: Path) -> None:
    with Workbench(data_dir=tmp_path / "data") as bench:
        load_small(bench, tmp_path)
        bench.graph_rebuild()
    # Same data dir, but the store was replaced behind the view's back.
    (tmp_path / "data" / "store.sqlite3").unlink()
    with Workbench(data_dir=tmp_path / "data") as bench:
        bench.ingest(
            [write_entities(tmp_path / "one.ijson", [entity("solo", "Person", name="Solo")])], "x"
        )
        assert bench.graph_rebuild().nodes == 1
        assert bench.graph_neighbours("solo").nodes[0].caption == "Solo"


def test_memory_store(tmp_path: Path) -> None:
    settings = Settings(store="memory", data_dir=tmp_path / "data")
    with Workbench(settings) as bench:
        load_small(bench, tmp_path)
        assert [p.node_ids for p in bench.graph_path("anna", "beta", k=1).paths] == [
            ["anna", "alpha", "beta"]
        ]


def test_a_derived_link_needs_both_its_facts_readable(tmp_path: Path) -> None:
    shared = "Ballindamm 40, 20095 Hamburg"
    with Workbench(data_dir=tmp_path / "data") as bench:
        a = [entity("x", "Company", name="X", address=shared)]
        b = [entity("x", "Company", name="X"), entity("y", "Company", name="Y", address=shared)]
        bench.ingest([write_entities(tmp_path / "a.ijson", a)], "a")
        bench.ingest([write_entities(tmp_path / "b.ijson", b)], "b")
        assert bench.graph_path("x", "y").paths[0].edge_ids == ["derived:address:x<>y"]
        # x is readable through b, but its address is only stated in a.
        assert bench.graph_path("x", "y", datasets=["b"]).paths == []
        assert bench.graph_neighbours("x", datasets=["b"]).edges == []


def test_keys_shared_by_too_many_are_skipped(tmp_path: Path) -> None:
    crowd = [entity(f"c{i}", "Company", name=f"C{i}", address="Berlin") for i in range(25)]
    with Workbench(data_dir=tmp_path / "data") as bench:
        bench.ingest([write_entities(tmp_path / "crowd.ijson", crowd)], "crowd")
        stats = bench.graph_rebuild()
        assert (stats.edges, stats.skipped_groups) == (0, 1)


def test_links_to_unknown_entities_and_to_edge_entities(tmp_path: Path) -> None:
    data = [
        entity("c", "Company", name="C", addressEntity="nowhere"),
        entity("o", "Ownership", owner="c", asset="d"),
        entity("d", "Company", name="D"),
        entity("n", "Note", entity="o", description="about the ownership"),
    ]
    with Workbench(data_dir=tmp_path / "data") as bench:
        bench.ingest([write_entities(tmp_path / "d.ijson", data)], "d")
        hood = bench.graph_neighbours("c")
        stub = next(n for n in hood.nodes if n.id == "nowhere")
        # Known only from c's reference: visible where the reference is, captioned by id.
        assert (stub.caption, stub.schema, stub.datasets) == ("nowhere", "Thing", ["d"])
        assert {e.id for e in hood.edges} == {"c<addressEntity>nowhere", "o"}
        # A reference to an edge entity (the Ownership) is not a link to a thing.
        assert bench.graph_neighbours("n").edges == []


def test_canonical_ids_merge_nodes(small: Workbench) -> None:
    merged = {"gamma2": "gamma"}
    cache = ViewCache(
        lambda: small.store,
        small.data_dir / "graph-canonical",
        canonical=lambda i: merged.get(i, i),
        canonical_version="test-1",
    )
    graph = LinkGraph(cache)
    assert graph.cache.adjacency().nodes.find("gamma2") is None
    assert graph.path("gamma2", "beta", k=1).paths[0].node_ids == ["gamma", "beta"]
    with pytest.raises(ValueError, match="at least 1"):
        graph.path("gamma", "beta", max_hops=0)
