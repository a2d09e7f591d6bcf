"""`threadline ingest --country`: the library's `country=` as a flag."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import cli, ok
from threadline.app.workbench import Workbench

TABLE = "name,tel\nEve Ash,(202) 555-0143\n"


def _table(files: Path) -> Path:
    path = files / "people.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def test_country_flag_reads_national_numbers(files: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    args = ["ingest", str(_table(files)), "-d", "people", "--schema", "Person"]
    ok(data, *args, "--map", "name=name", "--map", "phone=tel", "--country", "us")
    with Workbench(data_dir=data) as bench:
        (exported,) = bench.export("people")
    assert exported["properties"]["phone"] == ["+12025550143"]


def test_without_the_flag_the_row_error_names_it(files: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    args = ["ingest", str(_table(files)), "-d", "people", "--schema", "Person"]
    done = cli(data, *args, "--map", "name=name", "--map", "phone=tel", "--skip-errors")
    assert done.code == 0, done.stderr
    assert "1 errors" in done.stderr
    assert "people.csv:2:" in done.stderr
    assert "give --country" in done.stderr


def test_a_bad_country_is_one_error_line(files: Path, tmp_path: Path) -> None:
    args = ["ingest", str(_table(files)), "-d", "people", "--schema", "Person"]
    done = cli(tmp_path / "data", *args, "--map", "name=name", "--country", "eu")
    assert done.code == 1
    assert done.stderr.strip().splitlines() == [
        "error: --country: 'eu' is not a country with a phone numbering plan; give a "
        "two-letter country code such as us, de or gb"
    ]
