"""Phone numbers in national format: read with a country hint, or reported row by row."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from threadline.app.workbench import Workbench
from threadline.errors import InputError
from threadline.ingest.phones import check_country

PHONES = """\
name,phone,country
Ann Lee,(202) 555-0143,
Bob Roe,+44 20 7946 0958,
Cy Young,030 1234567,de
Dee Ray,555-1234,
"""

MAPPING = """\
phonebook:
  queries:
    - csv_url: phones.csv
      entities:
        person:
          schema: Person
          keys: [name]
          properties:
            name: {column: name}
            phone: {column: phone}
"""


def _phones(bench: Workbench) -> dict[str, list[str]]:
    return {e["caption"]: e["properties"].get("phone", []) for e in bench.export("phonebook")}


def _write(files: Path, mapping: str = MAPPING) -> Path:
    (files / "phones.csv").write_text(PHONES, encoding="utf-8")
    path = files / "phones.yml"
    path.write_text(mapping, encoding="utf-8")
    return path


def test_country_reads_national_numbers_as_e164(bench: Workbench, files: Path) -> None:
    report = bench.ingest([_write(files)], country="us", skip_errors=True)[0]
    assert _phones(bench) == {
        "Ann Lee": ["+12025550143"],
        "Bob Roe": ["+442079460958"],  # an international number ignores the hint
    }
    # 030 1234567 is no US number; a 7-digit local number has no area code, so no
    # country makes it a full number. Both stay row errors, naming the country tried.
    assert [e.line for e in report.errors] == [4, 5]
    assert all("as dialed in US" in e.message for e in report.errors)


def test_without_country_each_discarded_phone_is_a_row_error(bench: Workbench, files: Path) -> None:
    report = bench.ingest([_write(files)], skip_errors=True)[0]
    assert [e.line for e in report.errors] == [2, 4, 5]
    for error in report.errors:
        assert error.path.endswith("phones.csv")
        assert "phone cannot hold" in error.message
        assert "give --country" in error.message
    # The rows are refused whole (the summary counts them as errors, not records).
    assert report.records == 1
    assert _phones(bench) == {"Bob Roe": ["+442079460958"]}


def test_without_skip_errors_the_first_discarded_phone_stops_the_file(
    bench: Workbench, files: Path, ingest_error: Callable[..., InputError]
) -> None:
    error = ingest_error(bench, [_write(files)])
    assert error.line == 2
    assert "(202) 555-0143" in error.message
    assert bench.store.count_statements() == 0


def test_the_mapping_format_wins_over_the_country(bench: Workbench, files: Path) -> None:
    # followthemoney's own per-property hint (`format:`) is the only one tried: here
    # it reads (202) 555-0143 as a German number, which German numbering allows.
    by_format = MAPPING.replace("phone: {column: phone}", "phone: {column: phone, format: de}")
    bench.ingest([_write(files, by_format)], country="us", skip_errors=True)
    phones = _phones(bench)
    assert phones["Cy Young"] == ["+49301234567"]
    assert phones["Ann Lee"] == ["+492025550143"]


def test_entity_country_is_tried_before_the_default(bench: Workbench, files: Path) -> None:
    with_country = MAPPING.replace(
        "phone: {column: phone}", "phone: {column: phone}\n            country: {column: country}"
    )
    report = bench.ingest([_write(files, with_country)], country="us", skip_errors=True)[0]
    phones = _phones(bench)
    assert phones["Cy Young"] == ["+49301234567"]  # its own country: de
    assert phones["Ann Lee"] == ["+12025550143"]  # no country of its own: the default
    assert [e.line for e in report.errors] == [5]


def test_a_constant_country_in_the_mapping_is_a_hint(bench: Workbench, files: Path) -> None:
    constant = MAPPING.replace(
        "phone: {column: phone}", "phone: {column: phone}\n            country: {literal: us}"
    )
    report = bench.ingest([_write(files, constant)], skip_errors=True)[0]
    assert _phones(bench)["Ann Lee"] == ["+12025550143"]
    assert [e.line for e in report.errors] == [4, 5]  # 030 1234567 is no US number


def test_quick_mapping_and_ftm_lines_take_the_country(bench: Workbench, files: Path) -> None:
    table = files / "table.csv"
    table.write_text("name,tel\nEve Ash,(202) 555-0143\n", encoding="utf-8")
    bench.ingest(
        [table], "quick", schema="Person", maps={"name": "name", "phone": "tel"}, country="us"
    )
    lines = files / "people.ijson"
    lines.write_text(
        '{"id": "p1", "schema": "Person", "properties": '
        '{"name": ["Fay Oak"], "phone": ["(202) 555-0143"]}}\n',
        encoding="utf-8",
    )
    bench.ingest([lines], "lines", country="us")
    exported: dict[str, Any] = {e["caption"]: e for e in bench.export()}
    assert exported["Eve Ash"]["properties"]["phone"] == ["+12025550143"]
    assert exported["Fay Oak"]["properties"]["phone"] == ["+12025550143"]


@pytest.mark.parametrize(
    ("given", "expected"), [("us", "us"), ("US", "us"), (" de ", "de"), ("", None), (None, None)]
)
def test_country_codes_are_normalised(given: str | None, expected: str | None) -> None:
    assert check_country(given) == expected


@pytest.mark.parametrize("bad", ["xx", "eu", "zz", "Narnia"])
def test_a_bad_country_is_refused_before_anything_is_written(
    bench: Workbench, files: Path, bad: str
) -> None:
    with pytest.raises(InputError) as info:
        bench.ingest([_write(files)], country=bad)
    assert str(info.value).startswith("--country: ")
    assert repr(bad) in str(info.value)
    assert bench.store.count_statements() == 0


def test_json_lines_keep_the_entity_and_report_each_discarded_value(
    bench: Workbench, files: Path
) -> None:
    lines = [
        {"id": "a", "schema": "Person", "properties": {"name": ["Ann"], "phone": ["555 0143"]}},
        {
            "id": "b",
            "schema": "Person",
            "properties": {"name": ["Bob"], "phone": ["+442079460958"]},
        },
        {"id": "c", "schema": "Person", "properties": {"name": ["Cy"], "country": ["JPX"]}},
    ]
    path = files / "people.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    report = bench.ingest([path], "people")[0]  # no skip_errors: nothing here is an error
    assert report.errors == [] and report.records == 3
    assert [n.line for n in report.notices] == [1, 3]
    assert "'phone'" in report.notices[0].message and "give --country" in report.notices[0].message
    assert "'country'" in report.notices[1].message and "'JPX'" in report.notices[1].message
    assert report.notices[1].path.endswith("people.jsonl")
    kept = {e["id"]: e["properties"] for e in bench.export("people")}
    assert kept["a"] == {"name": ["Ann"]} and kept["c"] == {"name": ["Cy"]}
