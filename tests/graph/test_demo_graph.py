"""The demo story through the link graph.

The story's chain runs official → relative → offshore → holding → contractor → awards,
each link in a different source under a different id. Until entity resolution merges
those ids, the graph can join them only where the sources share a fact: the leak's
Nordwall and the registry's Nordwall state the same address, and the procurement data's
contractor and the registry's share a registration number. These derived links (weak,
and labelled as such) carry the paths below; the relative himself (the leak's
Дмитрий Соколов, procurement's Dmitri Sokolow) still needs resolution to join the two
halves into the one chain.

The seized correspondence names the offshore, the authority and the contractor, so
"mentioned in" links join them too; the tests of the record chain keep to the four
record sources (`RECORDS`), and one test follows the documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_of_full_demo
from threadline.app.workbench import Workbench

pytestmark = pytest.mark.slow

OWNER = "leak-person-00244"  # Дмитрий Соколов, in the leak
OFFSHORE = "leak-company-00392"  # Halcyon Crest Holdings Ltd
LEAK_HOLDING = "leak-company-00413"  # Nordwall Beteiligungsgesellschaft mbH (leak)
REGISTRY_HOLDING = "2f69949f8bbcf4f3e91f5f9ad13bc935d9ddeb28"  # Nordwall Beteiligungs GmbH
CONTRACTOR = "a7b1b5a04f8c3d08fa47a19e8c87c6ccea902510"  # Brückenbau Hansa GmbH (registry)
OFFICIAL = "527a3619737ff53d58484d805ca254cdd50f06c0"  # Katrin Albrecht (procurement)
RECORDS = ["registry", "procurement", "donations", "leak"]  # not the correspondence


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, full_demo_dir: Path) -> Iterator[Workbench]:
    data_dir = copy_of_full_demo(full_demo_dir, tmp_path_factory.mktemp("demo-graph") / "data")
    with Workbench(data_dir=data_dir) as bench:
        yield bench


def test_leak_owner_reaches_the_contractor(demo: Workbench) -> None:
    best = demo.graph_path(OWNER, CONTRACTOR, datasets=RECORDS).paths[0]
    assert best.node_ids == [OWNER, OFFSHORE, LEAK_HOLDING, REGISTRY_HOLDING, CONTRACTOR]
    assert [e.type for e in best.edges] == [
        "Ownership",
        "Ownership",
        "derived:address",
        "Ownership",
    ]
    assert [n.caption for n in best.nodes][:3] == [
        "Дмитрий Соколов",
        "Halcyon Crest Holdings Ltd",
        "Nordwall Beteiligungsgesellschaft mbH",
    ]
    assert "derived:address 0.30" in best.explanation


def test_without_derived_links_the_leak_ends_at_its_own_nordwall(demo: Workbench) -> None:
    assert demo.graph_path(OWNER, CONTRACTOR, derived=False, datasets=RECORDS).paths == []
    owned = demo.graph_path(OWNER, LEAK_HOLDING, types=["Ownership"]).paths[0]
    assert owned.node_ids == [OWNER, OFFSHORE, LEAK_HOLDING]
    assert owned.newest == "ongoing"


def test_the_official_reaches_the_contractor_through_the_awards(demo: Workbench) -> None:
    best = demo.graph_path(OFFICIAL, CONTRACTOR, datasets=RECORDS).paths[0]
    kinds = [e.type for e in best.edges]
    assert kinds[:3] == ["Employment", "authority", "ContractAward"]
    assert kinds[-1] == "derived:identifier"
    assert best.nodes[1].caption == "Landesamt für Straßenbau Nordmark"


def test_who_connects_the_official_the_relative_and_the_contractor(demo: Workbench) -> None:
    tree = demo.graph_connect([OFFICIAL, OWNER, CONTRACTOR], datasets=RECORDS)
    ids = {n.id for n in tree.nodes}
    assert {OFFICIAL, OWNER, CONTRACTOR, OFFSHORE, LEAK_HOLDING, REGISTRY_HOLDING} <= ids
    assert len(tree.groups) == 1
    assert len(tree.edges) == len(tree.nodes) - 1  # a tree


def test_the_offshore_is_paid_by_the_leaks_builder(demo: Workbench) -> None:
    hood = demo.graph_neighbours(OFFSHORE, types=["Payment"])
    payments = [e for e in hood.edges if e.type == "Payment"]
    assert payments and all(e.target == OFFSHORE for e in payments)
    payer = {n.id: n for n in hood.nodes}[payments[0].source]
    assert "HANSA" in payer.caption.upper()


def test_the_seized_invoice_joins_the_offshore_and_the_contractor(demo: Workbench) -> None:
    # Without the registry's derived links, the records alone do not join them...
    assert demo.graph_path(OFFSHORE, CONTRACTOR, derived=False, datasets=RECORDS).paths == []
    # ...but the correspondence names both: a document links them, labelled as such.
    best = demo.graph_path(OFFSHORE, CONTRACTOR, derived=False).paths[0]
    assert [e.type for e in best.edges] == ["mentioned in", "mentioned in"]
    document = best.nodes[1]
    assert document.datasets == ["correspondence"]
    assert "mentioned in 0.30" in best.explanation
