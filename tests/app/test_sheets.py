"""Spreadsheet exports: formula cells neutralised, in CSV and XLSX, and nothing lost."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from threadline.app.sheets import (
    FORMULA_STARTS,
    HEADER,
    csv_chunks,
    entity_rows,
    neutralise,
    write_xlsx,
    xlsx_cell,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+41 44 000", "'+41 44 000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "'=1"),  # already quoted: left as it is
        ("Müller GmbH", "Müller GmbH"),
        ("a=1", "a=1"),
        (" =1", " =1"),
        ("", ""),
    ],
)
def test_neutralise(value: str, expected: str) -> None:
    assert neutralise(value) == expected


@given(st.text())
def test_neutralised_cells_never_start_a_formula(value: str) -> None:
    safe = neutralise(value)
    assert not safe.startswith(FORMULA_STARTS)
    assert safe.removeprefix("'") == value or safe == value


def _csv(rows: Sequence[Sequence[str]], batch: int = 500) -> list[list[str]]:
    text = "".join(csv_chunks(rows, batch=batch))
    return list(csv.reader(io.StringIO(text, newline="")))


@given(st.lists(st.tuples(st.text(), st.text()), max_size=20), st.integers(1, 5))
def test_csv_round_trips_every_cell_neutralised(rows: list[tuple[str, str]], batch: int) -> None:
    back = _csv(rows, batch)
    header = ["id", "schema", "caption", "property", "value", "datasets", "markings"]
    assert back[0] == header
    assert back[1:] == [[neutralise(c) for c in row] for row in rows]


def test_entity_rows_are_long_and_keep_entities_without_values() -> None:
    entity = {
        "id": "e1",
        "schema": "Person",
        "caption": "=cmd",
        "properties": {"name": ["=cmd", "Ann"], "country": ["de"]},
        "datasets": ["a", "b"],
        "markings": ["secret"],
    }
    assert list(entity_rows(entity)) == [
        ("e1", "Person", "=cmd", "country", "de", "a;b", "secret"),
        ("e1", "Person", "=cmd", "name", "=cmd", "a;b", "secret"),
        ("e1", "Person", "=cmd", "name", "Ann", "a;b", "secret"),
    ]
    bare = {"id": "e2", "schema": "Thing", "caption": "", "properties": {}}
    assert list(entity_rows(bare)) == [("e2", "Thing", "", "", "", "", "")]


def test_xlsx_cells_are_strings_never_formulas() -> None:
    rows = [("f", "=1+1", "@x", "-1", "+1", "\x00=2", "ok")]
    out = io.BytesIO()
    assert write_xlsx(rows, out) == 1
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type == "s" for c in cells)
    values = [c.value for c in cells[len(HEADER) :]]
    assert values == ["f", "'=1+1", "'@x", "'-1", "'+1", "'=2", "ok"]


def test_xlsx_cell_is_bounded() -> None:
    assert len(xlsx_cell("x" * 40_000)) == 32_767
