"""Links say what they are wherever they are shown: search hits, an entity's
relationships and graph edges name the link's key value, its two ends and its dates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench

DONATIONS = [
    entity("s1", "Person", name="Ivan Sokolov"),
    entity("bund", "Organization", name="Bürgerbund"),
    entity(
        "pay1",
        "Payment",
        payer="s1",
        beneficiary="bund",
        amount="9900",
        currency="EUR",
        date="2020-08-14",
    ),
    # Its payer is only in the registry: a reader of the donations alone must not learn
    # the name from this link's caption.
    entity("pay2", "Payment", payer="r9", beneficiary="bund", amount="100", date="2021"),
]
REGISTRY = [
    entity("r9", "Person", name="Rudolf Geheim"),
    entity("hansa", "Company", name="Bruckenbau Hansa GmbH"),
    entity("halcyon", "Company", name="Halcyon Ltd"),
    entity("own1", "Ownership", owner="halcyon", asset="hansa", percentage="25"),
    entity("meier", "Person", name="Anna Meier"),
    entity(
        "dir1",
        "Directorship",
        director="meier",
        organization="hansa",
        role="director",
        startDate="2019",
        endDate="2021",
    ),
]
PAY1 = "Payment 9,900.00 EUR, Ivan Sokolov → Bürgerbund, 2020-08-14"
OWN1 = "Ownership 25%, Halcyon Ltd → Bruckenbau Hansa GmbH"
DIR1 = "Directorship (director), Anna Meier → Bruckenbau Hansa GmbH, 2019\u20132021"


def _load(bench: Workbench, folder: Path) -> None:
    bench.ingest([write_entities(folder / "donations.ijson", DONATIONS)], "donations")
    bench.ingest([write_entities(folder / "registry.ijson", REGISTRY)], "registry")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    root = tmp_path_factory.mktemp("captions")
    with Workbench(data_dir=root / "data") as bench:
        _load(bench, root)
        yield bench


def _captions(bench: Workbench) -> dict[str, str]:
    """The caption of every link hit (the schemata of links all extend Interval)."""
    return {h.id: h.caption for h in bench.search("", schema="Interval", limit=50).hits}


def test_search_hits_of_links_name_their_ends(loaded: Workbench) -> None:
    captions = _captions(loaded)
    assert captions["pay1"] == PAY1
    assert captions["own1"] == OWN1
    assert captions["dir1"] == DIR1


def test_an_end_from_another_dataset_is_not_named(loaded: Workbench) -> None:
    caption = _captions(loaded)["pay2"]
    assert caption == "Payment 100.00, ? → Bürgerbund, 2021"
    assert "Rudolf" not in caption


def test_a_rebuilt_index_gives_the_same_captions(loaded: Workbench) -> None:
    before = _captions(loaded)
    loaded.reindex()
    assert _captions(loaded) == before


def test_relationships_name_both_ends(loaded: Workbench) -> None:
    view = loaded.entity("meier")
    (link,) = [r for r in view.relationships if r.id == "dir1"]
    assert link.caption == DIR1
    assert [e.caption for e in link.others] == ["Bruckenbau Hansa GmbH"]


def test_graph_edges_say_what_they_are(loaded: Workbench) -> None:
    result = loaded.graph_neighbours("hansa")
    captions = {e.id: e.caption for e in result.edges}
    assert captions["own1"] == OWN1
    assert captions["dir1"] == DIR1
    path = loaded.graph_path("halcyon", "meier")
    assert [e.caption for e in path.paths[0].edges] == [OWN1, DIR1]


def test_a_graph_edge_names_merged_ends_as_the_graph_shows_them(
    bench: Workbench, tmp_path: Path
) -> None:
    _load(bench, tmp_path)
    bench.judge("s1", "r9", "same")
    result = bench.graph_neighbours("bund")
    nodes = {n.id: n.caption for n in result.nodes}
    edges = {e.id: e for e in result.edges}
    for payment, amount in (("pay1", "9,900.00 EUR"), ("pay2", "100.00")):
        edge = edges[payment]
        # Both payments now come from one node, whichever record each names.
        assert edge.caption.startswith(f"Payment {amount}, {nodes[edge.source]} → Bürgerbund")
    assert edges["pay1"].source == edges["pay2"].source
