"""`threadline match LIST.csv|LIST.xlsx --schema Person --map name=COL`: batch screening
through the real command, against a real resolved data directory."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson
import pytest
from openpyxl import Workbook, load_workbook

from tests.cli.runner import cli
from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench

HEADER = ["Full name", "Born", "Passport", "Desk note"]
ROWS = [
    ["Anna Petrova", "1971-03-04", "", "minister"],
    ["Xavier Quillfeather", "", "", "nobody in the store"],
    ["", "", "", "blank name"],
    ['=HYPERLINK("http://evil/")', "", "", "formula"],
]


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli-match-file")
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


def _csv(path: Path, rows: list[list[str]] = ROWS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    book.save(path)
    return path


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


MAPS = ["--map", "name=Full name", "--map", "birthDate=Born", "--map", "passportNumber=Passport"]


def test_a_csv_list_gives_candidates_scores_and_links(resolved: Path, tmp_path: Path) -> None:
    source = _csv(tmp_path / "officials.csv")
    out = tmp_path / "results.csv"
    done = cli(
        resolved / "data",
        "match",
        str(source),
        "--schema",
        "Person",
        *MAPS,
        "--out",
        str(out),
        "--threshold",
        "0.01",
    )
    assert done.code == 0, done.stderr
    assert "4 rows screened: 1 with candidates, 1 matching, 1 not screened" in done.stderr
    rows = _read_csv(out)
    assert list(rows[0])[:5] == ["row", *HEADER]
    anna = [r for r in rows if r["Desk note"] == "minister"]
    assert [r["rank"] for r in anna] == ["1", "2"]
    assert {r["candidate_id"] for r in anna} == {"a1", "b1"}
    assert [r["datasets"] for r in anna] == ["alpha", "beta"]  # the exact spelling first
    assert all(r["schema"] == "Person" for r in anna)  # never the companies
    first, second = anna
    assert float(first["score"]) >= float(second["score"])
    # The threshold decides the flag: a match from 0.01 up.
    assert (first["status"], first["match"]) == ("match", "yes")
    assert float(second["score"]) < 0.01 and second["status"] == "candidate"
    assert "birth_date" in first["features"] and "last_name" in first["features"]
    assert first["link"] == "/entities/a1"
    assert first["row"] == "2"  # the CSV line, the header being line 1
    nobody = [r for r in rows if r["Desk note"] == "nobody in the store"]
    assert [r["status"] for r in nobody] == ["no candidates"]
    assert nobody[0]["candidate_id"] == "" and nobody[0]["score"] == ""
    blank = [r for r in rows if r["Desk note"] == "blank name"]
    assert blank[0]["status"] == "invalid: no values in the mapped columns"
    formula = [r for r in rows if r["Desk note"] == "formula"]
    # A value that would run as a formula is neutralised in the results.
    assert formula[0]["Full name"].startswith("'=")


def test_an_xlsx_list_to_an_xlsx_file(resolved: Path, tmp_path: Path) -> None:
    source = _xlsx(tmp_path / "officials.xlsx")
    out = tmp_path / "results.xlsx"
    done = cli(
        resolved / "data",
        "match-file",
        str(source),
        "--schema",
        "Person",
        "--map",
        "name=Full name",
        "--map",
        "birthDate=Born",
        "--out",
        str(out),
    )
    assert done.code == 0, done.stderr
    sheet = load_workbook(out, read_only=True).worksheets[0]
    cells = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    header, body = cells[0], cells[1:]
    assert header[:5] == ["row", *HEADER]
    status = {row[4]: row[header.index("status")] for row in body}
    assert status["minister"] in {"match", "candidate"}
    assert status["nobody in the store"] == "no candidates"
    assert body[0][0] == "2"


def test_json_lines_and_a_printed_table(resolved: Path, tmp_path: Path) -> None:
    source = _csv(tmp_path / "list.csv", ROWS[:2])
    done = cli(
        resolved / "data",
        "match",
        str(source),
        "--schema",
        "Person",
        "--map",
        "name=Full name",
        "--json",
    )
    assert done.code == 0, done.stderr
    lines = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert [line["status"] for line in lines] == ["candidate", "candidate", "no candidates"]
    assert lines[0]["Full name"] == "Anna Petrova"
    table = cli(
        resolved / "data",
        "match",
        str(source),
        "--schema",
        "Person",
        "--map",
        "name=Full name",
    )
    assert table.code == 0, table.stderr
    assert "Anna Petrov" in table.stdout and "no candidates" in table.stdout


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--map", "name=Fullname"], "no column 'Fullname'"),
        (["--map", "fullName=Full name"], "has no property 'fullName'"),
        (["--map", "birthDate=Born"], "map a name"),
        (["--map", "name"], "expected property=column"),
        (["--map", "name=Full name", "--out", "results.txt"], "results.txt"),
    ],
)
def test_bad_columns_and_properties_are_named(
    resolved: Path, tmp_path: Path, flags: list[str], named: str
) -> None:
    source = _csv(tmp_path / "list.csv", ROWS[:1])
    done = cli(resolved / "data", "match", str(source), "--schema", "Person", *flags)
    assert done.code == 1, done.stdout
    assert named in done.stderr
    assert "--map" in done.stderr or "results.txt" in done.stderr


def test_a_list_needs_a_schema_it_can_screen(resolved: Path, tmp_path: Path) -> None:
    source = _csv(tmp_path / "list.csv", ROWS[:1])
    done = cli(resolved / "data", "match", str(source), "--map", "name=Full name")
    assert done.code == 1 and "--schema" in done.stderr
    done = cli(
        resolved / "data",
        "match",
        str(source),
        "--schema",
        "Address",
        "--map",
        "full=Full name",
    )
    assert done.code == 1 and "screens only" in done.stderr


def test_a_damaged_list_is_named_with_its_line(resolved: Path, tmp_path: Path) -> None:
    source = tmp_path / "broken.csv"
    source.write_text("Full name,Born\nAnna Petrova,1971,extra\n", encoding="utf-8")
    done = cli(
        resolved / "data",
        "match",
        str(source),
        "--schema",
        "Person",
        "--map",
        "name=Full name",
    )
    assert done.code == 1
    assert "broken.csv" in done.stderr and "2" in done.stderr and "columns" in done.stderr


def test_json_flags_refuse_list_options(resolved: Path, tmp_path: Path) -> None:
    path = tmp_path / "queries.json"
    path.write_bytes(orjson.dumps({"queries": {}}))
    done = cli(resolved / "data", "match", str(path), "--schema", "Person")
    assert done.code == 1 and "--schema" in done.stderr and "JSON" in done.stderr
