"""`threadline match FILE` and `threadline match-algorithms`, through the command line."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.cli.test_cli import run
from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli-match")
    alpha = [
        entity("a1", "Person", name="Anna Petrova", birthDate="1971-03-04", idNumber="4510123456"),
        entity("a2", "Company", name="Acme Trading Ltd", jurisdiction="gb"),
    ]
    beta = [
        entity("b1", "Person", name="Anna Petrowa", birthDate="1971-03-04", nationality="ru"),
        entity("b2", "Company", name="ACME Trading Limited", jurisdiction="gb"),
    ]
    with Workbench(data_dir=root / "data") as bench:
        bench.ingest([write_entities(root / "alpha.ijson", alpha)], "alpha")
        bench.ingest([write_entities(root / "beta.ijson", beta)], "beta")
        bench.resolve()
    return root


def test_match_a_yente_request_file(resolved: Path) -> None:
    queries = {
        "queries": {
            "anna": {
                "schema": "Person",
                "properties": {"name": ["Anna Petrova"], "birthDate": ["1971-03-04"]},
            }
        }
    }
    path = resolved / "queries.json"
    path.write_bytes(orjson.dumps(queries))
    done = run("match", str(path), "--json", "--limit", "3", data_dir=resolved / "data")
    assert done.code == 0, done.stderr
    lines = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert lines and {line["query"] for line in lines} == {"anna"}
    assert lines[0]["caption"] in {"Anna Petrova", "Anna Petrowa"}
    assert "birth_date" in lines[0]["features"]
    assert all(line["schema"] == "Person" for line in lines)  # never the company
    table = run("match", str(path), "--exclude-dataset", "alpha", data_dir=resolved / "data")
    assert table.code == 0 and "Anna Petrowa" in table.stdout


def test_bad_files_and_queries_are_named(resolved: Path) -> None:
    broken = resolved / "broken.json"
    broken.write_text("{not json")
    done = run("match", str(broken), data_dir=resolved / "data")
    assert done.code == 1 and "broken.json" in done.stderr
    ship = resolved / "ship.json"
    ship.write_bytes(orjson.dumps({"q": {"schema": "Ship", "properties": {}}}))
    failed = run("match", str(ship), data_dir=resolved / "data")
    assert failed.code == 1, failed.stderr
    assert "ship.json" in failed.stderr and "queries.q.schema" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_match_algorithms(resolved: Path) -> None:
    done = run("match-algorithms", "--json", data_dir=resolved / "data")
    assert done.code == 0, done.stderr
    described = orjson.loads(done.stdout)
    assert described["name"] == "threadline-resolver" and described["trained"] is True
    assert described["features"]["birth_date"] >= 0  # full agreement never counts against
