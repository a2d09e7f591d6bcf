"""Exports over the API: streamed FtM lines, and CSV/XLSX whose formula cells are inert."""

from __future__ import annotations

import csv
import io

import orjson
from openpyxl import load_workbook

from tests.api.conftest import FORMULAS, World
from threadline.app.sheets import FORMULA_STARTS, HEADER


def _export(world: World, **params: str) -> bytes:
    with world.client("cat") as client:
        answer = client.get("/export", params={"dataset": "formulas", **params})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"].startswith("attachment")
    return answer.content


def test_ftm_export_streams_json_lines(world: World) -> None:
    lines = _export(world).splitlines()
    entities = [orjson.loads(line) for line in lines]
    assert sorted(e["id"] for e in entities) == [f"f-{n}" for n in range(len(FORMULAS))]
    assert {v for e in entities for v in e["properties"]["name"]} == set(FORMULAS)


def test_csv_export_neutralises_formula_cells(world: World) -> None:
    rows = list(csv.reader(io.StringIO(_export(world, format="csv").decode("utf-8"))))
    assert rows[0] == list(HEADER)
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert {"'" + f for f in FORMULAS} <= set(cells)


def test_xlsx_export_neutralises_formula_cells(world: World) -> None:
    book = load_workbook(io.BytesIO(_export(world, format="xlsx")))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type == "s" for cell in cells if cell.value is not None)
    values = {str(cell.value) for cell in cells if cell.value is not None}
    assert not [v for v in values if v.startswith(FORMULA_STARTS)]
    assert {"'" + f for f in FORMULAS} <= values


def test_exporting_an_unknown_dataset_is_not_found(world: World) -> None:
    with world.client("cat") as client:
        assert client.get("/export", params={"dataset": "nope"}).status_code == 404
        assert client.get("/export", params={"format": "pdf"}).status_code == 422


def test_the_link_graph_exports_through_the_same_verb(world: World) -> None:
    with world.client("cat") as client:
        gexf = client.get("/export", params={"dataset": "registry", "format": "gexf"})
        cyjs = client.get("/export", params={"dataset": "registry", "format": "cyjs"})
    assert gexf.status_code == 200, gexf.text
    assert gexf.headers["content-type"].startswith("application/gexf+xml")
    assert gexf.headers["content-disposition"] == 'attachment; filename="registry.gexf"'
    assert gexf.text.startswith("<?xml") and "<gexf" in gexf.text
    elements = orjson.loads(cyjs.content)["elements"]
    assert elements["nodes"] and elements["edges"]
    assert {n["data"]["datasets"][0] for n in elements["nodes"]} == {"registry"}
