"""A small fixed graph in two datasets, ingested into a real workbench (SQLite store).

    anna ──Ownership 2015──▶ alpha ──Ownership 2018-03──▶ beta ◀──Payment 2021-06-01── gamma
     │ ╲                                                  │ addressEntity          ▲ │
     │  ╲──Family 2000── boris ──Directorship 2010..2012──┼────────────────────────┘ │
     │                                                    ▼                          │
     └──────────────UnknownLink (undated)────────▶ gamma  addr1 ◀──addressEntity─────┘

    beta and delta state the same address string (derived:address);
    gamma and gamma2 the same registration number (derived:identifier).

Dataset "reg" holds the people, the companies, the address and the ownerships;
"leak" holds the family link, the unknown link, the payment, delta and gamma2.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.graph.cache import ViewCache
from threadline.graph.service import LinkGraph

TODAY = date(2026, 1, 1)
ADDRESS = "Hafenstraße 1, 20457 Hamburg"

REG = [
    entity("anna", "Person", name="Anna Berg"),
    entity("boris", "Person", name="Boris Chen"),
    entity("alpha", "Company", name="Alpha Holding"),
    entity("beta", "Company", name="Beta Trading", address=ADDRESS, addressEntity="addr1"),
    entity(
        "gamma", "Company", name="Gamma Build", addressEntity="addr1", registrationNumber="HRB 4711"
    ),
    entity("addr1", "Address", full=ADDRESS),
    entity("own1", "Ownership", owner="anna", asset="alpha", startDate="2015"),
    entity("own2", "Ownership", owner="alpha", asset="beta", startDate="2018-03"),
    entity(
        "dir1",
        "Directorship",
        director="boris",
        organization="gamma",
        startDate="2010",
        endDate="2012",
    ),
]
LEAK = [
    entity("fam1", "Family", person="anna", relative="boris", startDate="2000"),
    entity("unk1", "UnknownLink", subject="anna", object="gamma"),
    entity("pay1", "Payment", payer="gamma", beneficiary="beta", date="2021-06-01", amount="1000"),
    entity("delta", "Company", name="Delta Shell", address="Hafenstrasse 1, 20457 Hamburg"),
    entity("gamma2", "Company", name="GAMMA BUILD", registrationNumber="HRB4711"),
]


def load_small(bench: Workbench, folder: Path) -> None:
    """Ingest the two datasets of the small graph."""
    bench.ingest([write_entities(folder / "reg.ijson", REG)], "reg")
    bench.ingest([write_entities(folder / "leak.ijson", LEAK)], "leak")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    """A workbench holding the small graph (read-only: tests must not ingest into it)."""
    root = tmp_path_factory.mktemp("small")
    with Workbench(data_dir=root / "data") as bench:
        load_small(bench, root)
        yield bench


@pytest.fixture(scope="module")
def graph(small: Workbench) -> LinkGraph:
    """The small graph's LinkGraph with a fixed today, so ages (and costs) are exact."""
    cache = ViewCache(lambda: small.store, small.data_dir / "graph")
    return LinkGraph(cache, today=lambda: TODAY)
