"""The command line against a real data directory: in-process through the console
script's own `main` (tests/cli/runner.py), and as a real subprocess for the entry point,
the exit codes of errors and settings read from the environment."""

from __future__ import annotations

import csv
import inspect
import io
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.cli.runner import Done, cli
from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.cli.app import app

COMMANDS = ["demo", "ingest", "search", "entity", "datasets", "export", "reindex"]


def process(
    *args: str, data_dir: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m threadline ARGS...` as a real subprocess."""
    command = [sys.executable, "-m", "threadline"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        command + list(args), capture_output=True, text=True, env=full_env, timeout=120
    )


def run(*args: str, data_dir: Path, env: dict[str, str] | None = None) -> Done:
    """`threadline --data-dir DATA_DIR ARGS...` in-process, through the console script's
    `main`; the terminal width unset unless given, as in a subprocess with a pipe."""
    return cli(data_dir, *args, env={"COLUMNS": None, **(env or {})})


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    path = write_entities(
        root / "people.ijson",
        [
            entity("p1", "Person", name="Jane Müller", country="de"),
            entity("c1", "Company", name="Daimler AG", country="de"),
            entity("o1", "Ownership", owner="p1", asset="c1"),
        ],
    )
    done = run("ingest", str(path), "--dataset", "people", data_dir=root / "data")
    assert done.code == 0, done.stderr
    return root / "data"


def test_every_command_has_help() -> None:
    # The top-level help through the real entry point; each command's help in-process
    # (the same Typer app), so the test does not start an interpreter per command.
    top = process("--help")
    assert top.returncode == 0
    for command in COMMANDS:
        assert command in top.stdout
        helped = CliRunner().invoke(app, [command, "--help"])
        assert helped.exit_code == 0, helped.output
        assert "Usage" in helped.stdout


def test_every_public_workbench_verb_has_a_command() -> None:
    verbs = {
        name
        for name, _ in inspect.getmembers(Workbench, inspect.isfunction)
        # `acting` gives the workbench another context: the global options do that.
        if not name.startswith("_") and name not in {"close", "acting"}
    }
    registered = {str(c.name).replace("-", "_") for c in app.registered_commands}
    # A verb group's commands stand for `group_verb` methods: `graph path` is graph_path,
    # `audit who-accessed` is audit_who_accessed.
    registered |= {
        f"{group.name}_{command.name}".replace("-", "_")
        for group in app.registered_groups
        for command in group.typer_instance.registered_commands
    }
    # A group that runs without a subcommand stands for the verb of its name too:
    # `threadline jobs` is jobs (and `jobs show` job_show).
    registered |= {
        str(group.name)
        for group in app.registered_groups
        if group.typer_instance.info.invoke_without_command
    }
    assert verbs <= registered, verbs - registered


def test_search_json_lines_then_facets(loaded: Path) -> None:
    done = run("search", "Daimlr", "--json", data_dir=loaded)
    assert done.code == 0, done.stderr
    lines = [orjson.loads(line) for line in done.stdout.splitlines()]
    hit, final = lines[0], lines[-1]
    assert set(hit) == {"id", "schema", "caption", "score", "datasets", "highlights"}
    assert (hit["id"], hit["schema"], hit["datasets"]) == ("c1", "Company", ["people"])
    assert hit["highlights"] == ["<em>Daimler</em> AG"]
    assert final["facets"]["schema"] == {"Company": 1}
    assert final["total"] == 1


def test_search_table_output(loaded: Path) -> None:
    done = run("search", "muller", data_dir=loaded)
    assert done.code == 0, done.stderr
    assert "Jane Müller" in done.stdout
    assert "1 matches" in done.stdout


def test_data_dir_from_environment(loaded: Path) -> None:
    done = process("datasets", "--json", env={"THREADLINE_DATA_DIR": str(loaded)})
    assert done.returncode == 0, done.stderr
    (stats,) = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert stats == {"name": "people", "entities": 3, "statements": 9, "sources": 1}


def test_entity_json_has_provenance_and_relationships(loaded: Path) -> None:
    done = run("entity", "c1", "--json", data_dir=loaded)
    assert done.code == 0, done.stderr
    data = orjson.loads(done.stdout)
    assert data["caption"] == "Daimler AG"
    name = next(f for f in data["facts"] if f["prop"] == "name")
    assert (name["dataset"], name["source_name"], name["location"]) == ("people", "people.ijson", 2)
    (link,) = data["relationships"]
    assert (link["schema"], link["prop"], link["others"][0]["id"]) == ("Ownership", "asset", "p1")


def test_entity_table_output(loaded: Path) -> None:
    done = run("entity", "c1", data_dir=loaded)
    assert done.code == 0, done.stderr
    assert "people.ijson" in done.stdout
    assert "Ownership" in done.stdout


def test_entity_table_shows_statement_ids_and_values_as_text(tmp_path: Path) -> None:
    path = write_entities(
        tmp_path / "odd.ijson",
        [entity("x1", "Company", name="[bold]Not markup[/] [/]", notes="a [red]note")],
    )
    data_dir = tmp_path / "data"
    assert run("ingest", str(path), "--dataset", "odd", data_dir=data_dir).code == 0
    done = run("entity", "x1", "--ids", env={"COLUMNS": "250"}, data_dir=data_dir)
    assert done.code == 0, done.stderr
    assert "[bold]Not markup[/] [/]" in done.stdout  # printed as written, not styled
    assert "a [red]note" in done.stdout
    cited = run("entity", "x1", "--json", data_dir=data_dir)
    ids = [f["statement_id"] for f in orjson.loads(cited.stdout)["facts"]]
    assert ids and all(i in done.stdout for i in ids)


def test_unknown_entity_fails_with_a_message(loaded: Path) -> None:
    done = process("entity", "nope", data_dir=loaded)  # the real exit code
    assert done.returncode == 1
    assert "error:" in done.stderr and "nope" in done.stderr


def test_export_to_stdout_and_file(loaded: Path, tmp_path: Path) -> None:
    done = run("export", "--format", "ftm", data_dir=loaded)
    assert done.code == 0, done.stderr
    ids = [orjson.loads(line)["id"] for line in done.stdout.splitlines()]
    assert ids == ["c1", "o1", "p1"]
    target = tmp_path / "out.ijson"
    done = run("export", "--dataset", "people", "-o", str(target), data_dir=loaded)
    assert done.code == 0, done.stderr
    assert (
        target.read_text().splitlines() == done.stdout.splitlines()
        or len(target.read_text().splitlines()) == 3
    )


def test_reindex(loaded: Path) -> None:
    before = run("search", "", "--json", "--limit", "10", data_dir=loaded).stdout
    done = run("reindex", data_dir=loaded)
    assert done.code == 0, done.stderr
    assert "reindexed 3 entities" in done.stderr
    assert run("search", "", "--json", "--limit", "10", data_dir=loaded).stdout == before


def test_bad_file_fails_cleanly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ijson"
    bad.write_text('{"id": "a", "schema": "Person", "properties": {}}\n{not json\n')
    done = run("ingest", str(bad), "--dataset", "d", data_dir=tmp_path / "data")
    assert done.code == 1
    assert f"{bad}:2: invalid JSON" in done.stderr
    assert "nothing from this file was written" in done.stderr


def test_module_and_console_script_agree() -> None:
    done = process("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("threadline ")


def test_invalid_setting_is_reported_without_a_traceback(tmp_path: Path) -> None:
    done = process("datasets", data_dir=tmp_path, env={"THREADLINE_WORKERS": "zero"})
    assert done.returncode == 2
    assert "invalid setting: workers" in done.stderr
    assert "Traceback" not in done.stderr


def test_resolve_prints_its_summary_and_what_it_measured(tmp_path: Path) -> None:
    from tests.resolve.conftest import population

    data = tmp_path / "data"
    for name, path in population(tmp_path / "src", people=120).items():
        done = run("ingest", str(path), "--dataset", name, data_dir=data)
        assert done.code == 0, done.stderr
    first = run("resolve", data_dir=data)
    assert first.code == 0, first.stderr
    assert "Resolved " in first.stdout and "pairs considered" in first.stdout
    assert "Measured on the data: location fields" in first.stdout
    assert "birth dates" in first.stdout
    again = run("resolve", "--json", data_dir=data)
    summary = orjson.loads(again.stdout)
    assert summary["incremental"] and not summary["trained"]
    # The population's one-line addresses are split into postcode and city; its 254
    # records are too few for EM alone, so the documented priors apply as well.
    facts = [f.split(":")[0] for f in summary["facts"]]
    assert facts[0] == "location fields nested" and facts[-1] == "birth dates firm"
    assert "people scored with the documented priors as well" in facts


def test_export_as_csv_and_xlsx(loaded: Path, tmp_path: Path) -> None:
    done = run("export", "--format", "csv", data_dir=loaded)
    assert done.code == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["id", "schema", "caption", "property", "value", "datasets", "markings"]
    assert {row[0] for row in rows[1:]} == {"c1", "o1", "p1"}
    target = tmp_path / "out.xlsx"
    done = run("export", "--format", "xlsx", "-o", str(target), data_dir=loaded)
    assert done.code == 0, done.stderr
    assert "exported 3 entities" in done.stderr
    sheet = load_workbook(io.BytesIO(target.read_bytes())).worksheets[0]
    cells = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == rows  # the same rows as the CSV, header included
    assert not (tmp_path / "out.xlsx.partial").exists()


@pytest.mark.parametrize("format", ["gexf", "graphml", "cyjs"])
def test_export_takes_the_graph_formats_as_graph_export_does(
    loaded: Path, tmp_path: Path, format: str
) -> None:
    done = run("export", "--format", format, data_dir=loaded)
    assert done.code == 0, done.stderr
    alias = run("graph", "export", "--format", format, data_dir=loaded)
    assert alias.code == 0, alias.stderr
    assert done.stdout == alias.stdout and "p1" in done.stdout
    target = tmp_path / f"graph.{format}"
    done = run("export", "--format", format, "-o", str(target), data_dir=loaded)
    assert done.code == 0, done.stderr
    assert target.read_text(encoding="utf-8") == alias.stdout
    assert "exported the link graph" in done.stderr


def test_export_refuses_an_unknown_format_and_xlsx_to_stdout(loaded: Path) -> None:
    done = run("export", "--format", "pdf", data_dir=loaded)
    assert done.code != 0
    assert "ftm, csv, xlsx, gexf, graphml, cyjs" in done.stderr
    done = run("export", "--format", "xlsx", data_dir=loaded)
    assert done.code != 0
    assert "-o FILE.xlsx" in done.stderr
