"""Two real threadline instances (two data dirs, SQLite and tantivy each) and a case
to share between them.

The sender holds four collections: `registry` (unmarked), `leak` (marked
confidential), `protected` (marked no-share) and `outside`, which the case may not
reach. Recipient `partner` may receive confidential data; anyone else unmarked only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.settings import Settings

SECRET_VALUES = ("Source Sam", "+15550100", "Hidden Nationality Note")


@dataclass
class Shared:
    """The sending workbench and the case to share."""

    bench: Workbench
    case_id: str
    statement: str  # the registry statement of Jane Roe's name, cited by a note


def sender_settings(data_dir: Path, prompts: dict[str, str] | None = None) -> Settings:
    """Desk A's settings: `partner` may receive confidential data."""
    return Settings(
        data_dir=data_dir,
        instance_name="Desk A",
        share_recipients={"partner": ["confidential"]},
        prompts=prompts or {},
    )


def load(bench: Workbench, folder: Path) -> Shared:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "registry": [
            entity("p1", "Person", name="Jane Roe", birthDate="1970-01-02"),
            entity("c1", "Company", name="Acme GmbH"),
            entity("o1", "Ownership", owner="p1", asset="c1", startDate="2001"),
        ],
        "leak": [
            entity("p1", "Person", email="jane@acme.example"),
            entity("l1", "Person", name="Leaky Larry"),
        ],
        "protected": [
            entity("p1", "Person", phone="+15550100"),
            entity("x1", "Person", name="Source Sam"),
        ],
        "outside": [entity("p1", "Person", notes="Hidden Nationality Note")],
    }
    for dataset, rows in files.items():
        bench.ingest([write_entities(folder / f"{dataset}.ijson", rows)], dataset)
    bench.mark("leak", "confidential")
    bench.mark("protected", "no-share")
    case = bench.case_create("Acme", "who owns Acme", "registry,leak,protected")
    for entity_id in ("p1", "c1", "l1", "x1"):
        bench.case_pin(case.id, entity_id, f"pinned {entity_id}")
    name = next(
        r.id
        for r in bench.store.statements_for(["p1"])["p1"]
        if r.prop == "name" and r.dataset == "registry"
    )
    bench.case_note(case.id, f"Jane Roe [[stmt:{name}]] owns [[entity:c1]]")
    bench.case_note(case.id, "Larry leaked it: [[entity:l1]]")
    bench.case_note(case.id, "Our source: [[entity:x1]]")
    return Shared(bench, case.id, name)


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Shared]:
    with Workbench(sender_settings(tmp_path / "a")) as bench:
        yield load(bench, tmp_path / "sources")


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Workbench]:
    with Workbench(Settings(data_dir=tmp_path / "b", instance_name="Desk B")) as bench:
        yield bench
