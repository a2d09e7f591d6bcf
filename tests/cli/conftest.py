"""A small real data directory for the command-line tests: two datasets, one of them
a confidential-looking source whose values must never leak."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.runner import ok
from tests.conftest import entity, write_entities

SECRET_NAME = "Zebediah Quarrington"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """`people` (a person owning a company) and `leaks` (one secret person)."""
    people = write_entities(
        tmp_path / "people.ijson",
        [
            entity("p1", "Person", name="Jane Müller", birthDate="1970-01-02", country="de"),
            entity("c1", "Company", name="Daimler AG", incorporationDate="1990-05-01"),
            entity("o1", "Ownership", owner="p1", asset="c1", startDate="2001"),
        ],
    )
    leaks = write_entities(
        tmp_path / "leaks.ijson", [entity("x1", "Person", name=SECRET_NAME, country="gb")]
    )
    folder = tmp_path / "data"
    ok(folder, "ingest", str(people), "--dataset", "people")
    ok(folder, "ingest", str(leaks), "--dataset", "leaks")
    return folder


def add_user(data_dir: Path, name: str, role: str = "investigator") -> str:
    """Add a user through the CLI and return their token."""
    done = ok(data_dir, "user", "add", name, "--role", role)
    return done.stdout.strip()
