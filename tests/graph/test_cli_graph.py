"""`threadline graph ...`: the library with flags, human output and --json."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from tests.graph.conftest import load_small
from threadline.app.workbench import Workbench
from threadline.cli.app import app


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli-graph")
    with Workbench(data_dir=root / "data") as bench:
        load_small(bench, root)
    return root / "data"


def run(data_dir: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), "graph", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_path_json_lists_node_and_edge_ids(data_dir: Path) -> None:
    data = orjson.loads(run(data_dir, "path", "anna", "beta", "--k", "2", "--json"))
    assert [p["node_ids"] for p in data["paths"]] == [
        ["anna", "alpha", "beta"],
        ["anna", "gamma", "beta"],
    ]
    assert [p["edge_ids"] for p in data["paths"]] == [["own1", "own2"], ["unk1", "pay1"]]
    assert data["paths"][0]["explanation"].startswith("2 hops + weakness 0.00")


def test_path_human(data_dir: Path) -> None:
    text = run(data_dir, "path", "anna", "beta", "--types", "Ownership")
    assert "#1" in text and "Alpha Holding" in text and "Ownership since 2018-03-01" in text
    assert "#2" not in text
    assert "No path" in run(data_dir, "path", "anna", "beta", "--max-hops", "1")


def test_neighbours(data_dir: Path) -> None:
    data = orjson.loads(run(data_dir, "neighbours", "gamma", "--json", "--datasets", "reg"))
    assert {n["id"] for n in data["nodes"]} == {"gamma", "boris", "addr1"}
    text = run(data_dir, "neighbours", "gamma", "--between", "2020", "2022", "--no-derived")
    assert "Payment" in text and "Directorship" not in text and "gamma2" not in text


def test_connect_and_hubs(data_dir: Path) -> None:
    tree = orjson.loads(run(data_dir, "connect", "anna", "beta", "boris", "--json"))
    assert {e["id"] for e in tree["edges"]} == {"own1", "own2", "fam1"}
    hubs = orjson.loads(run(data_dir, "hubs", "--dataset", "reg", "--limit", "2", "--json"))
    assert [h["node"]["id"] for h in hubs["hubs"]] == ["gamma", "anna"]
    assert "betweenness exact" in run(data_dir, "hubs", "--ids", "anna,beta", "--ids", "alpha")


def test_export_to_file_and_stdout(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.gexf"
    run(data_dir, "export", "--format", "gexf", "-o", str(target))
    assert target.read_text(encoding="utf-8").rstrip().endswith("</gexf>")
    assert not (tmp_path / "graph.gexf.partial").exists()
    cyjs = orjson.loads(run(data_dir, "export", "--format", "cyjs", "--dataset", "leak"))
    assert {n["data"]["id"] for n in cyjs["elements"]["nodes"]} == {"delta", "gamma2"}


def test_rebuild(data_dir: Path) -> None:
    stats = orjson.loads(run(data_dir, "rebuild", "--json"))
    assert (stats["nodes"], stats["edges"]) == (8, 10)


def test_bad_options_are_usage_errors(data_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["--data-dir", str(data_dir), "graph", "path", "anna", "beta", "--at", "soon"]
    )
    assert result.exit_code == 2
    assert "Not a date" in result.output


def test_unknown_entity_is_an_error_message(data_dir: Path) -> None:
    command = [sys.executable, "-m", "threadline", "--data-dir", str(data_dir)]
    done = subprocess.run(
        [*command, "graph", "neighbours", "nobody"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "No entity with id 'nobody'" in done.stderr
    assert "Traceback" not in done.stderr
