"""The demo story after resolution: one chain from the official to the award.

Resolution merges the relative's records (procurement's Dmitri Sokolow, the leak's
Дмитрий Соколов, the donor Dmitry Sokolov), the two Nordwall holdings and the two
Brückenbau Hansa records; the link graph then runs over the merged entities, and the
story's chain official → relative → offshore → holding → contractor → award is a path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_of_full_demo
from threadline.app.workbench import Workbench

pytestmark = pytest.mark.slow

OFFICIAL = "527a3619737ff53d58484d805ca254cdd50f06c0"  # Katrin Albrecht (procurement)
RELATIVE = "399dc5efbdaea710dc6292f59cb881397c7c1e89"  # Dmitri Sokolow (procurement)
OWNER = "leak-person-00244"  # Дмитрий Соколов, in the leak
OFFSHORE = "leak-company-00392"  # Halcyon Crest Holdings Ltd
LEAK_HOLDING = "leak-company-00413"  # Nordwall Beteiligungsgesellschaft mbH (leak)
REGISTRY_HOLDING = "2f69949f8bbcf4f3e91f5f9ad13bc935d9ddeb28"  # Nordwall Beteiligungs GmbH
CONTRACTOR = "a7b1b5a04f8c3d08fa47a19e8c87c6ccea902510"  # Brückenbau Hansa GmbH (registry)
SUPPLIER = "3460c85364b7ba9fadea83d9e41ed69ebe368a21"  # Brückenbau Hansa GmbH (procurement)
AWARD = "fcd582b92c76fd041a718413d0fc0ff2e6462e17"  # Fahrbahnerneuerung Brückenzug Nord


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, resolved_demo_dir: Path) -> Iterator[Workbench]:
    """The demo after `resolve` (built once per test run: see tests/conftest.py)."""
    target = tmp_path_factory.mktemp("demo-resolved") / "data"
    with Workbench(data_dir=copy_of_full_demo(resolved_demo_dir, target)) as bench:
        yield bench


def _canonical(bench: Workbench, entity_id: str) -> str:
    return bench.entity(entity_id).entity.id


def test_the_story_records_are_merged(demo: Workbench) -> None:
    assert _canonical(demo, RELATIVE) == _canonical(demo, OWNER)
    assert _canonical(demo, LEAK_HOLDING) == _canonical(demo, REGISTRY_HOLDING)
    assert _canonical(demo, CONTRACTOR) == _canonical(demo, SUPPLIER)
    relative = demo.entity(OWNER)
    assert {"procurement", "leak"} <= set(relative.entity.datasets)
    assert {RELATIVE, OWNER} <= set(relative.members)


def test_graph_path_follows_the_story_chain(demo: Workbench) -> None:
    chain = [
        _canonical(demo, i) for i in (OFFICIAL, RELATIVE, OFFSHORE, LEAK_HOLDING, CONTRACTOR, AWARD)
    ]
    found = demo.graph_path(OFFICIAL, AWARD, k=10).paths
    story = [p for p in found if p.node_ids == chain]
    assert story, [p.node_ids for p in found]
    edges = [e.type for e in story[0].edges]
    assert edges[:3] == ["Family", "Ownership", "Ownership"]
    assert all(not t.startswith("derived") for t in edges)
