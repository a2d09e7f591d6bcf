"""Tabular records: CSV and XLSX rows as dicts, each with the line or row it came from."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path

from followthemoney.util import sanitize_text

from threadline.errors import InputError
from threadline.ingest.source import MAX_LINE_BYTES, ErrorSink, SourceFile, iter_lines

Record = dict[str, str]

csv.field_size_limit(MAX_LINE_BYTES)


def _clean(header: list[str], values: list[str]) -> Record:
    record: Record = {}
    for key, raw in zip(header, values, strict=True):
        value = sanitize_text(raw)
        if value is not None:
            record[key] = value
    return record


def _cell(value: object) -> str:
    """An XLSX cell as text; a date cell is its ISO date, not "1970-01-02 00:00:00"."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _check_header(path: Path, header: list[str], line: int) -> list[str]:
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError(path, "the header row is empty", line)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError(path, f"column {name!r} appears twice in the header", line)
        seen.add(name)
    return header


def read_csv_header(source: SourceFile) -> list[str]:
    """The column names of a CSV file."""
    for number, row in _rows(source, None, None):
        return _check_header(source.path, row, number)
    raise InputError(source.path, "has no header row")


def _rows(
    source: SourceFile,
    on_error: ErrorSink | None,
    on_bytes: Callable[[int], None] | None,
) -> Iterator[tuple[int, list[str]]]:
    lines = iter_lines(source, on_error=on_error, on_bytes=on_bytes)
    state = {"line": 0}

    def text() -> Iterator[str]:
        for number, line in lines:
            state["line"] = number
            yield line

    # .tsv is accepted as a table kind (tabular.EXTENSIONS), so it must split on tabs.
    delimiter = "\t" if source.path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(text(), delimiter=delimiter)
    while True:
        start = state["line"] + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            error = InputError(source.path, f"cannot parse CSV: {exc}", start)
            if on_error is None:
                raise error from None
            on_error(error)
            continue
        if row:
            yield start, row


def read_csv(
    source: SourceFile,
    on_error: ErrorSink | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, Record]]:
    """Yield (line number, record); a row with the wrong number of columns is an error."""
    header: list[str] | None = None
    for number, row in _rows(source, on_error, on_bytes):
        if header is None:
            header = _check_header(source.path, row, number)
            continue
        if len(row) != len(header):
            if len(row) == 1 and not row[0].strip():
                continue
            error = InputError(
                source.path,
                f"expected {len(header)} columns (as in the header), found {len(row)}",
                number,
            )
            if on_error is None:
                raise error
            on_error(error)
            continue
        yield number, _clean(header, row)
    if header is None:
        raise InputError(source.path, "has no header row")


def read_xlsx(
    source: SourceFile, on_error: ErrorSink | None = None
) -> Iterator[tuple[int, Record]]:
    """Yield (row number, record) from the first sheet; the first row is the header."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(source.path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(source.path, f"cannot open as XLSX: {exc}") from None
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = [_cell(c) for c in cells]
            if header is None:
                header = _check_header(source.path, values, number)
                continue
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                error = InputError(
                    source.path,
                    f"row has values beyond the {len(header)} header columns",
                    number,
                )
                if on_error is None:
                    raise error
                on_error(error)
                continue
            values = (values + [""] * len(header))[: len(header)]
            yield number, _clean(header, values)
        if header is None:
            raise InputError(source.path, "has no header row")
    finally:
        book.close()
