"""Tabular records: CSV rows as dicts, each with the line it came from (XLSX: `sheet`)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from followthemoney.util import sanitize_text

from threadline.errors import InputError
from threadline.ingest.limits import Limits
from threadline.ingest.source import MAX_LINE_BYTES, ErrorSink, SourceFile, iter_lines

Record = dict[str, str]

csv.field_size_limit(MAX_LINE_BYTES)


def clean_record(header: list[str], values: list[str]) -> Record:
    """The record of a row: sanitized values by column, empty ones left out."""
    record: Record = {}
    for key, raw in zip(header, values, strict=True):
        value = sanitize_text(raw)
        if value is not None:
            record[key] = value
    return record


def overlong(
    path: Path, header: list[str], values: list[str], line: int, limits: Limits
) -> InputError | None:
    """The error of a row with a value longer than the limit, if it has one."""
    for name, value in zip(header, values, strict=False):
        if len(value) > limits.max_field_chars:
            return InputError(
                path,
                f"column {name!r} holds {len(value):,} characters, more than the "
                f"{limits.max_field_chars:,} allowed in one value",
                line,
            )
    return None


def check_header(path: Path, header: list[str], line: int) -> list[str]:
    """The stripped column names; an empty header or a repeated name is an error."""
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
        return check_header(source.path, row, number)
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
    limits: Limits | None = None,
) -> Iterator[tuple[int, Record]]:
    """Yield (line number, record); a row with the wrong number of columns, or with a
    value over the limit, is an error."""
    limits = limits or Limits()
    header: list[str] | None = None
    for number, row in _rows(source, on_error, on_bytes):
        if header is None:
            header = check_header(source.path, row, number)
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
        too_long = overlong(source.path, header, row, number, limits)
        if too_long is not None:
            if on_error is None:
                raise too_long
            on_error(too_long)
            continue
        yield number, clean_record(header, row)
    if header is None:
        raise InputError(source.path, "has no header row")
