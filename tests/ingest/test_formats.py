"""Each source kind ingests as documented, and every statement carries its provenance."""

from __future__ import annotations

import datetime
import hashlib
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from threadline.app.workbench import Workbench
from threadline.model.statement import BASE_PROP

PERSON_FLAGS: dict[str, Any] = {
    "schema": "Person",
    "maps": {"name": "Full name", "birthDate": "DOB"},
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def by_name(bench: Workbench, dataset: str | None = None) -> dict[str, dict[str, list[str]]]:
    """Exported entities' properties, keyed by their (single) name."""
    result = {}
    for entity in bench.export(dataset):
        [name] = entity["properties"]["name"]
        result[name] = entity["properties"]
    return result


# FtM entity JSON lines ------------------------------------------------------------

FTM_LINES = [
    '{"id": "Q567", "schema": "Person", "properties": {"name": ["Angela Merkel"]}}',
    '{"id": "ru-inn-7701234567", "schema": "Company", "properties": {"name": ["Ромашка Холдинг"]}}',
    '{"id": "own.1", "schema": "Ownership", "properties": '
    '{"owner": ["Q567"], "asset": ["ru-inn-7701234567"], "percentage": ["51"]}}',
    '{"id": "c0ffee", "schema": "LegalEntity", "properties": {"name": ["Société Générale"]}}',
]


def test_ftm_jsonl_keeps_ids_as_given(bench: Workbench, files: Path) -> None:
    path = files / "entities.ijson"
    path.write_text("\n".join(FTM_LINES) + "\n", encoding="utf-8")

    [report] = bench.ingest([path], "leak")

    ids = ["Q567", "c0ffee", "own.1", "ru-inn-7701234567"]
    assert (report.kind, report.records, sorted(report.entity_ids)) == ("ftm", 4, ids)
    assert [e["id"] for e in bench.export()] == ids
    company = bench.entity("ru-inn-7701234567")
    assert company.entity.schema.name == "Company"
    assert company.entity.caption == "Ромашка Холдинг"
    # The edge points at the ids as given, so the link resolves.
    [link] = [r for r in company.relationships if r.schema == "Ownership"]
    assert link.id == "own.1"
    assert {h.id for h in bench.search("Ромашка").hits} == {"ru-inn-7701234567"}


@pytest.mark.parametrize("suffix", [".ijson", ".jsonl", ".ndjson", ".json"])
def test_ftm_extensions(bench: Workbench, files: Path, suffix: str) -> None:
    path = files / f"entities{suffix}"
    path.write_text(FTM_LINES[0] + "\n", encoding="utf-8")
    [report] = bench.ingest([path], "leak")
    assert report.entity_ids == {"Q567"}


def test_ftm_lines_keep_their_line_numbers(bench: Workbench, files: Path) -> None:
    # Blank lines and a missing final newline still give physical line numbers.
    path = files / "entities.ijson"
    path.write_text(f"\n{FTM_LINES[0]}\n\n\n{FTM_LINES[3]}", encoding="utf-8")
    bench.ingest([path], "leak")
    assert {f.location for f in bench.entity("Q567").entity.facts()} == {2}
    assert {f.location for f in bench.entity("c0ffee").entity.facts()} == {5}


# FtM mapping YAML -----------------------------------------------------------------

REGISTRY_CSV = (
    "company_number,company_name,director,director_dob\n"
    "HRB 1,Müller Bau GmbH,Jürgen Müller,1970-01-02\n"
    "HRB 2,Weiß & Co KG,Anna Weiß,1980-05-06\n"
    "HRB 3,Weiß Holding AG,Anna Weiß,1980-05-06\n"
)
REGISTRY_YML = """\
registry:
  queries:
    - csv_url: ../data/registry.csv
      entities:
        company:
          schema: Company
          keys: [company_number]
          properties:
            name: {column: company_name}
            registrationNumber: {column: company_number}
        director:
          schema: Person
          keys: [director, director_dob]
          properties:
            name: {column: director}
            birthDate: {column: director_dob}
        directorship:
          schema: Directorship
          keys: [company_number, director, director_dob]
          properties:
            organization: {entity: company}
            director: {entity: director}
"""


def write_registry(folder: Path) -> tuple[Path, Path]:
    """The registry CSV in data/ and its mapping in maps/, pointing at it relatively."""
    (folder / "data").mkdir()
    (folder / "maps").mkdir()
    csv_path = folder / "data" / "registry.csv"
    csv_path.write_text(REGISTRY_CSV, encoding="utf-8")
    yml_path = folder / "maps" / "registry.yml"
    yml_path.write_text(REGISTRY_YML, encoding="utf-8")
    return csv_path, yml_path


def test_mapping_csv_url_is_relative_to_the_yaml_not_the_cwd(
    bench: Workbench, files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv_path, _ = write_registry(files)
    elsewhere = tmp_path / "elsewhere" / "deeper"
    elsewhere.mkdir(parents=True)
    # From a cwd where "../data/registry.csv" does not exist, with a relative YAML path.
    monkeypatch.chdir(elsewhere)
    assert not Path("../data/registry.csv").exists()
    relative_yml = Path(os.path.relpath(files / "maps" / "registry.yml"))

    [report] = bench.ingest([relative_yml])

    assert (report.dataset, report.kind, report.records) == ("registry", "mapping", 3)
    # 3 companies, 2 distinct directors, 3 directorships.
    assert report.entities == 8
    assert [s.name for s in bench.store.sources()] == ["registry.csv"]
    assert bench.store.sources()[0].sha256 == sha256(csv_path)
    companies = bench.search("Weiß", schema="Company").hits
    assert sorted(h.caption for h in companies) == ["Weiß & Co KG", "Weiß Holding AG"]
    anna = bench.search("Anna Weiß", schema="Person").hits[0]
    view = bench.entity(anna.id)
    assert sorted(r.schema for r in view.relationships) == ["Directorship", "Directorship"]


def test_mapping_dataset_can_be_renamed(bench: Workbench, files: Path) -> None:
    _, yml_path = write_registry(files)
    [report] = bench.ingest([yml_path], "registry-2024")
    assert report.dataset == "registry-2024"
    assert [d.name for d in bench.datasets()] == ["registry-2024"]


def test_mapping_statements_cite_the_csv_row(bench: Workbench, files: Path) -> None:
    csv_path, yml_path = write_registry(files)
    bench.ingest([yml_path])
    anna = bench.search("Anna Weiß", schema="Person").hits[0]
    facts = bench.entity(anna.id).entity.facts()
    # Anna is on CSV lines 3 and 4; the statement keeps the first place it was seen.
    assert {(f.prop, f.value, f.location) for f in facts} == {
        ("name", "Anna Weiß", 3),
        ("birthDate", "1980-05-06", 3),
    }
    assert {(f.dataset, f.source, f.source_name) for f in facts} == {
        ("registry", sha256(csv_path), "registry.csv")
    }


# Plain CSV and XLSX with quick flags -----------------------------------------------

PEOPLE = [("Jürgen Müller", "1970-01-02"), ("Anna Weiß", "1980-05-06"), ("Zoë Ñúñez", "")]


def test_plain_csv_with_quick_flags(bench: Workbench, files: Path) -> None:
    path = files / "people.csv"
    rows = ["Full name,DOB,Ignored"] + [f"{n},{d},x" for n, d in PEOPLE]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    [report] = bench.ingest([path], "people", **PERSON_FLAGS)

    assert (report.kind, report.records, report.entities) == ("csv", 3, 3)
    assert by_name(bench) == {
        "Jürgen Müller": {"name": ["Jürgen Müller"], "birthDate": ["1970-01-02"]},
        "Anna Weiß": {"name": ["Anna Weiß"], "birthDate": ["1980-05-06"]},
        "Zoë Ñúñez": {"name": ["Zoë Ñúñez"]},
    }
    assert {h.schema for h in bench.search("Müller").hits} == {"Person"}


def test_plain_xlsx_with_quick_flags(bench: Workbench, files: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Full name", "DOB", "Count"])
    sheet.append(["Jürgen Müller", datetime.date(1970, 1, 2), 3])  # a real date cell
    sheet.append(["Anna Weiß", "1980-05-06", None])  # a date typed as text
    sheet.append([None, None, None])  # blank rows are skipped
    sheet.append(["Zoë Ñúñez", None, 1.5])
    path = files / "people.xlsx"
    book.save(path)

    [report] = bench.ingest([path], "people", **PERSON_FLAGS)

    assert (report.kind, report.records, report.entities) == ("xlsx", 3, 3)
    assert by_name(bench) == {
        "Jürgen Müller": {"name": ["Jürgen Müller"], "birthDate": ["1970-01-02"]},
        "Anna Weiß": {"name": ["Anna Weiß"], "birthDate": ["1980-05-06"]},
        "Zoë Ñúñez": {"name": ["Zoë Ñúñez"]},
    }
    zoe = bench.search("Zoë", limit=1).hits[0]
    facts = bench.entity(zoe.id).entity.facts()
    # Sheet row numbers, counting the header and the blank row.
    assert {(f.source_name, f.location) for f in facts} == {("people.xlsx", 5)}
    assert {f.source for f in facts} == {sha256(path)}


def test_plain_tsv_splits_on_tabs(bench: Workbench, files: Path) -> None:
    # .tsv is one of the table kinds; a comma inside a value must not split it.
    path = files / "people.tsv"
    path.write_text(
        'Full name\tDOB\nMüller, Jürgen\t1970-01-02\n"Weiß\tAnna"\t1980-05-06\n',
        encoding="utf-8",
    )
    [report] = bench.ingest([path], "people", **PERSON_FLAGS)
    assert (report.kind, report.records) == ("csv", 2)
    assert by_name(bench) == {
        "Müller, Jürgen": {"name": ["Müller, Jürgen"], "birthDate": ["1970-01-02"]},
        "Weiß Anna": {"name": ["Weiß Anna"], "birthDate": ["1980-05-06"]},
    }


# Provenance -----------------------------------------------------------------------


def test_every_statement_carries_dataset_file_hash_and_line(bench: Workbench, files: Path) -> None:
    # Quoted fields span lines, so record numbers and line numbers differ.
    path = files / "notes.csv"
    path.write_text(
        "Full name,DOB,Notes\n"  # 1
        'Jürgen Müller,1970-01-02,"first line\n'  # 2
        "second line\n"  # 3
        'third ""quoted"" line"\n'  # 4
        "Anna Weiß,1980-05-06,short\n"  # 5
        '"Zoë\n'  # 6
        'Ñúñez",1990-03-04,"a,b"\n',  # 7
        encoding="utf-8",
    )
    maps = {**PERSON_FLAGS["maps"], "notes": "Notes"}

    [report] = bench.ingest([path], "people", schema="Person", maps=maps)

    assert report.records == 3
    digest = sha256(path)
    expected = {"Jürgen Müller": 2, "Anna Weiß": 5, "Zoë Ñúñez": 6}
    for hit in bench.search("", limit=10).hits:
        view = bench.entity(hit.id)
        facts = view.entity.facts()
        assert facts, hit
        name = next(f.value for f in facts if f.prop == "name")
        assert {(f.dataset, f.source, f.source_name, f.location) for f in facts} == {
            ("people", digest, "notes.csv", expected.pop(name))
        }
        # The id statement (not among facts) carries the same provenance.
        [id_row] = [s for s in view.entity.statements if s.prop == BASE_PROP]
        assert (id_row.source, id_row.location) == (digest, facts[0].location)
    assert expected == {}
    notes = by_name(bench)["Jürgen Müller"]["notes"]
    assert notes == ['first line\nsecond line\nthird "quoted" line']


def test_same_file_in_two_datasets_keeps_both(bench: Workbench, files: Path) -> None:
    path = files / "people.csv"
    path.write_text("Full name,DOB\nAnna Weiß,1980-05-06\n", encoding="utf-8")
    bench.ingest([path], "one", **PERSON_FLAGS)
    bench.ingest([path], "two", **PERSON_FLAGS)
    assert [(d.name, d.entities, d.sources) for d in bench.datasets()] == [
        ("one", 1, 1),
        ("two", 1, 1),
    ]
    # Quick-mapped ids are prefixed with the dataset (followthemoney's key_prefix), so
    # each dataset has its own entity, each citing the same file and line.
    hits = bench.search("Anna").hits
    assert sorted(h.datasets for h in hits) == [["one"], ["two"]]
    for hit in hits:
        facts = bench.entity(hit.id).entity.facts()
        assert {(f.dataset, f.source_name, f.location) for f in facts} == {
            (hit.datasets[0], "people.csv", 2)
        }
    assert [s.name for s in bench.store.sources()] == ["people.csv", "people.csv"]
