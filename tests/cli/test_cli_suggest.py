"""`threadline suggest NAME`: the ids a name being typed may mean, in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.runner import cli
from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli-suggest")
    rows = [
        entity("p1", "Person", name="Dmitry Sokolov", country="ru"),
        entity("c1", "Company", name="Sokol Holdings Ltd", country="cy"),
        entity("c2", "Company", name="Daimler AG", country="de"),
    ]
    with Workbench(data_dir=root / "data") as bench:
        bench.ingest([write_entities(root / "people.ijson", rows)], "people")
    return root / "data"


def test_a_name_started_gives_the_ids(data_dir: Path) -> None:
    done = cli(data_dir, "suggest", "Soko", "--json")
    assert done.code == 0, done.stderr
    found = done.lines()
    assert {line["id"] for line in found} == {"p1", "c1"}
    assert {"id", "caption", "schema", "datasets", "countries"} == set(found[0])


def test_the_filters_and_the_table(data_dir: Path) -> None:
    people = cli(data_dir, "suggest", "Soko", "--schema", "Person", "--json").lines()
    assert [line["id"] for line in people] == ["p1"]
    table = cli(data_dir, "suggest", "Daim")
    assert table.code == 0 and "Daimler AG" in table.stdout and "c2" in table.stdout


def test_bad_input_is_refused_naming_it(data_dir: Path) -> None:
    short = cli(data_dir, "suggest", "D")
    unknown = cli(data_dir, "suggest", "Daim", "--schema", "Persn")
    assert short.code == unknown.code == 2
    assert "query: type at least 2 characters" in short.stderr
    assert "schema: no schema named 'Persn'" in unknown.stderr
