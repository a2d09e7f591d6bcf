"""XLSX records: rows of the first sheet as dicts, each with its row number.

The archive is checked (`archive.check_archive`) before openpyxl opens it, and the
rows are counted as openpyxl hands them out, empty cells included: a sheet can
declare itself 16,384 columns wide and a million rows long in a few bytes. Whatever
openpyxl raises on a damaged file (ParseError, KeyError, BadZipFile...) becomes an
InputError naming the file, and the row where one is known.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date, datetime, time
from typing import Any

from threadline.errors import InputError
from threadline.ingest.archive import check_archive
from threadline.ingest.limits import Limits
from threadline.ingest.records import Record, check_header, clean_record, overlong
from threadline.ingest.source import ErrorSink, SourceFile

MAX_ROWS = 1_048_576  # Excel's; a row numbered beyond it is a damaged or hostile file
Row = tuple[Any, ...]


def _cell(value: object) -> str:
    """An XLSX cell as text; a date cell is its ISO date, not "1970-01-02 00:00:00"."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


@contextmanager
def _first_sheet(source: SourceFile, limits: Limits) -> Iterator[Any]:
    """The workbook's first sheet (a read-only one, which the stubs do not describe as
    a Worksheet), open while the context lasts."""
    from openpyxl import load_workbook

    check_archive(source.path, limits)
    # Our own file handle: openpyxl leaves its archive open when it fails to load.
    with source.path.open("rb") as handle:
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises whatever its parsers meet in a bad file
            raise InputError(source.path, f"cannot open as XLSX: {_describe(exc)}") from None
        try:
            sheets = book.worksheets
            if not sheets:
                raise InputError(source.path, "has no worksheet")
            yield sheets[0]
        finally:
            book.close()


def _describe(exc: Exception) -> str:
    text = str(exc) or "no details"
    return f"{type(exc).__name__}: {text}"


def _rows(source: SourceFile, limits: Limits) -> Iterator[tuple[int, Row]]:
    """(row number, cell values) of the first sheet, with the cell and row caps."""
    with _first_sheet(source, limits) as sheet, closing(sheet.iter_rows(values_only=True)) as rows:
        number = cells = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except InputError:
                raise
            except Exception as exc:  # as above: a damaged sheet fails in many ways
                message = f"cannot read sheet {sheet.title!r}: {_describe(exc)}"
                raise InputError(source.path, message, number + 1) from None
            number += 1
            cells += max(len(values), 1)
            if number > MAX_ROWS:
                raise InputError(source.path, f"has rows beyond Excel's {MAX_ROWS:,}", number)
            if cells > limits.max_cells:
                raise InputError(
                    source.path,
                    f"sheet {sheet.title!r} has more than {limits.max_cells:,} cells (counting "
                    "empty ones up to its declared size), the most allowed",
                    number,
                )
            yield number, values


def read_xlsx_header(source: SourceFile, limits: Limits | None = None) -> list[str]:
    """The column names of the first sheet (after checking the whole archive)."""
    for number, cells in _rows(source, limits or Limits()):
        return _header(source, cells, number)
    raise InputError(source.path, "has no header row")


def _header(source: SourceFile, cells: Row, number: int) -> list[str]:
    names = [_cell(c) for c in cells]
    # A sheet declared (or formatted) wider than its header has empty names at the
    # end: they are no columns.
    while names and not names[-1].strip():
        names.pop()
    return check_header(source.path, names, number)


def read_xlsx(
    source: SourceFile, on_error: ErrorSink | None = None, limits: Limits | None = None
) -> Iterator[tuple[int, Record]]:
    """Yield (row number, record) from the first sheet; the first row is the header."""
    limits = limits or Limits()
    header: list[str] | None = None
    width = 0
    for number, cells in _rows(source, limits):
        if header is None:
            header = _header(source, cells, number)
            width = len(header)
            continue
        # Counted in C: a sheet's filled-in empty cells cost nothing here.
        if cells.count(None) == len(cells):
            continue
        error: InputError | None = None
        extra = cells[width:]
        if extra.count(None) != len(extra) and any(_cell(c).strip() for c in extra):
            error = InputError(
                source.path, f"row has values beyond the {width} header columns", number
            )
        values = [_cell(c) for c in cells[:width]]
        values += [""] * (width - len(values))
        if error is None:
            error = overlong(source.path, header, values, number, limits)
        if error is not None:
            if on_error is None:
                raise error
            on_error(error)
            continue
        if any(v.strip() for v in values):
            yield number, clean_record(header, values)
    if header is None:
        raise InputError(source.path, "has no header row")
