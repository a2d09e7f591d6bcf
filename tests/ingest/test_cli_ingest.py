"""`threadline ingest` as a user runs it, against a real data directory: in-process through
the console script's own `main` (tests/cli/runner.py), and once as a real subprocess."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import Done, cli
from threadline.app.workbench import Workbench
from threadline.errors import MappingError
from threadline.ingest.tabular import parse_maps

GOOD_CSV = "Full name,DOB\nJürgen Müller,1970-01-02\nAnna Weiß,1980-05-06\n"
BAD_CSV = "Full name,DOB\nJürgen Müller,1970-01-02\nAnna Weiß,1980-05-06,extra\nZoë,1990-01-01\n"


def threadline(data_dir: Path, *args: str | Path, cwd: Path) -> Done:
    """Run `threadline --data-dir DATA ARGS...` in `cwd`, in-process, at 80 columns."""
    with contextlib.chdir(cwd):
        return cli(data_dir, *map(str, args), env={"COLUMNS": "80"})


def process(data_dir: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m threadline --data-dir DATA ARGS...` without the caller's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    env["COLUMNS"] = "80"  # what Rich assumes off a terminal; messages here are longer
    return subprocess.run(
        [sys.executable, "-m", "threadline", "--data-dir", str(data_dir), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def stored_names(data_dir: Path) -> list[str]:
    with Workbench(data_dir=data_dir) as bench:
        return sorted(n for e in bench.export() for n in e["properties"].get("name", []))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_bad_file_exits_1_with_one_error_line(files: Path, data_dir: Path) -> None:
    (files / "people.csv").write_text(BAD_CSV, encoding="utf-8")
    result = process(  # a real process: its exit code and all it prints
        data_dir,
        "ingest",
        "people.csv",
        "-d",
        "people",
        "--schema",
        "Person",
        "--map",
        "name=Full name",
        cwd=files,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    # One line, even though it is longer than the 80 columns Rich assumes off a terminal.
    assert result.stderr.splitlines() == [
        "error: people.csv:3: expected 2 columns (as in the header), found 3 "
        "(nothing from this file was written)"
    ]
    assert "Traceback" not in result.stderr
    assert stored_names(data_dir) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "-d", "x"], "error: {files}/missing.csv: no such file"),
        (
            ["people.csv", "-d", "x", "--schema", "Person", "--map", "name"],
            "error: --map: expected property=column, got 'name'",
        ),
        (
            ["people.csv", "-d", "x", "--schema", "Persn", "--map", "name=Full name"],
            "error: --schema: unknown schema 'Persn'",
        ),
        (
            ["people.csv", "-d", "x", "--schema", "Person", "--map", "name=Name"],
            "error: --map: name=Name: no column 'Name' in {files}/people.csv "
            "(it has: Full name, DOB)",
        ),
        (
            ["people.csv", "--schema", "Person"],
            "error: {files}/people.csv: give --dataset NAME for this file",
        ),
    ],
    ids=["missing-file", "map-without-equals", "unknown-schema", "unknown-column", "no-dataset"],
)
def test_usage_errors_are_one_clear_line(
    files: Path, data_dir: Path, args: list[str], message: str
) -> None:
    (files / "people.csv").write_text(GOOD_CSV, encoding="utf-8")
    # Absolute paths, as a user's shell would expand them, so messages are predictable.
    args = [str(files / a) if a.endswith(".csv") else a for a in args]
    result = threadline(data_dir, "ingest", *args, cwd=files)
    assert result.code == 1
    assert result.stderr.splitlines() == [message.format(files=files)]


def test_success_prints_a_summary(files: Path, data_dir: Path) -> None:
    (files / "people.csv").write_text(GOOD_CSV, encoding="utf-8")
    result = threadline(
        data_dir,
        "ingest",
        "people.csv",
        "--dataset",
        "people",
        "--schema",
        "Person",
        "--map",
        'name="Full name"',  # quotes kept, as when the shell is bypassed or doubled
        "--map",
        "birthDate=DOB",
        cwd=files,
    )
    assert result.code == 0, result.stderr
    assert "error:" not in result.stderr
    [row] = [line for line in result.stderr.splitlines() if line.startswith("ingested ")]
    # statements: 2 x (id + name + birthDate)
    assert row.startswith(
        "ingested people.csv into people (csv): 2 records, 2 entities, 6 statements, 0 errors, "
    )
    assert row.endswith(" records/s")
    assert stored_names(data_dir) == ["Anna Weiß", "Jürgen Müller"]


def test_summary_names_the_file_in_full(files: Path, data_dir: Path) -> None:
    (files / "people.csv").write_text(GOOD_CSV, encoding="utf-8")
    result = threadline(
        data_dir, "ingest", "people.csv", "-d", "people", "--schema", "Person",
        "--map", "name=Full name", "--map", "birthDate=DOB", cwd=files,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert "people.csv" in result.stderr


def test_skip_errors_reports_the_skipped_lines(files: Path, data_dir: Path) -> None:
    (files / "people.csv").write_text(BAD_CSV, encoding="utf-8")
    result = threadline(
        data_dir,
        "ingest",
        "people.csv",
        "-d",
        "people",
        "--schema",
        "Person",
        "--map",
        "name=Full name",
        "--skip-errors",
        cwd=files,
    )
    assert result.code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "skipped people.csv:3: expected 2 columns (as in the header), found 3" in lines
    assert lines[-1] == "1 bad record(s) skipped; the rest was written."
    assert stored_names(data_dir) == ["Jürgen Müller", "Zoë"]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["name=Full name"], {"name": "Full name"}),
        (['name="Full name"'], {"name": "Full name"}),
        (["name='Full name'"], {"name": "Full name"}),
        ([" name = Full name "], {"name": "Full name"}),
        (["notes=a=b"], {"notes": "a=b"}),
        (["name=A", "birthDate=DOB"], {"name": "A", "birthDate": "DOB"}),
        ([], {}),
    ],
)
def test_parse_maps(items: list[str], expected: dict[str, str]) -> None:
    assert parse_maps(items) == expected


@pytest.mark.parametrize("item", ["name", "=Full name", "name=", "name=  ", " = ", 'name=""'])
def test_parse_maps_refuses_incomplete_flags(item: str) -> None:
    with pytest.raises(MappingError) as info:
        parse_maps([item])
    assert str(info.value) == f"--map: expected property=column, got {item!r}"


def test_parse_maps_refuses_a_property_mapped_twice() -> None:
    with pytest.raises(MappingError) as info:
        parse_maps(["name=First name", "birthDate=DOB", "name=Last name"])
    assert str(info.value) == (
        "--map: name is mapped twice ('First name' and 'Last name'); give one"
    )


def test_discarded_values_are_counted_and_listed(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "people.jsonl"
    path.write_text(
        '{"id": "a", "schema": "Person", "properties": {"name": ["Ann"], "country": ["JPX"]}}\n',
        encoding="utf-8",
    )
    done = threadline(data_dir, "ingest", path, "--dataset", "people", cwd=tmp_path)
    assert done.code == 0, done.stderr
    assert "1 values discarded" in done.stderr
    assert "people.jsonl:1" in done.stderr and "JPX" in done.stderr
    assert stored_names(data_dir) == ["Ann"]


def test_input_that_looks_like_markup_is_printed_as_written(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(
        '{"id": "a", "schema": "Person", "properties": {"[/bold]x": ["Ann"]}}\n', encoding="utf-8"
    )
    aborted = threadline(data_dir, "ingest", path, "--dataset", "d", cwd=tmp_path)
    assert aborted.code == 1, aborted.stderr
    assert "'[/bold]x'" in aborted.stderr and "Traceback" not in aborted.stderr
    skipped = threadline(data_dir, "ingest", path, "--dataset", "d", "--skip-errors", cwd=tmp_path)
    assert skipped.code == 0, skipped.stderr
    assert "'[/bold]x'" in skipped.stderr and "Traceback" not in skipped.stderr
