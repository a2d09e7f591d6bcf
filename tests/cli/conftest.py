"""A small real data directory for the command-line tests: two datasets, one of them
a confidential-looking source whose values must never leak."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.runner import ok
from tests.conftest import entity, write_entities

SECRET_NAME = "Zebediah Quarrington"


def _sources(folder: Path) -> tuple[Path, Path]:
    people = write_entities(
        folder / "people.ijson",
        [
            entity("p1", "Person", name="Jane Müller", birthDate="1970-01-02", country="de"),
            entity("c1", "Company", name="Daimler AG", incorporationDate="1990-05-01"),
            entity("o1", "Ownership", owner="p1", asset="c1", startDate="2001"),
        ],
    )
    leaks = write_entities(
        folder / "leaks.ijson", [entity("x1", "Person", name=SECRET_NAME, country="gb")]
    )
    return people, leaks


@pytest.fixture(scope="session")
def data_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data directory of `data`, ingested through the CLI once per worker."""
    root = tmp_path_factory.mktemp("cli-data")
    people, leaks = _sources(root)
    folder = root / "data"
    ok(folder, "ingest", str(people), "--dataset", "people")
    ok(folder, "ingest", str(leaks), "--dataset", "leaks")
    return folder


@pytest.fixture
def data(data_template: Path, tmp_path: Path) -> Path:
    """`people` (a person owning a company) and `leaks` (one secret person), in a copy
    of their own at `tmp_path / "data"` (the source files beside it): two ingests once,
    a copy for each test."""
    _sources(tmp_path)
    return Path(shutil.copytree(data_template, tmp_path / "data"))


def add_user(data_dir: Path, name: str, role: str = "investigator") -> str:
    """Add a user through the CLI and return their token."""
    done = ok(data_dir, "user", "add", name, "--role", role)
    return done.stdout.strip()
