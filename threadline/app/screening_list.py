"""A list to screen: a CSV or XLSX of names (with dates, countries, identifiers) read
with ingest's own readers, its columns mapped to followthemoney properties, and the
results table it becomes (one row per input row and candidate).

This is the file side of batch screening; `threadline.app.verbs.screening_batch` does
the screening. Nothing here reads the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote

from followthemoney import model
from followthemoney.types import registry

from threadline.app.sheets import csv_chunks, write_xlsx
from threadline.errors import InputError, MappingError
from threadline.ingest.limits import Limits
from threadline.ingest.records import read_csv, read_csv_header
from threadline.ingest.sheet import read_xlsx, read_xlsx_header
from threadline.ingest.source import SourceFile, open_source
from threadline.resolve.extract import MATCHED_SCHEMATA
from threadline.resolve.screen import MatchQuery

LIST_SUFFIXES = (".csv", ".tsv", ".xlsx")
OUT_FORMATS = ("csv", "xlsx")
MAX_ROWS = 100_000  # rows of one list: a larger one is several runs
# The columns threadline adds after the input's own (`row` comes first).
RESULT_COLUMNS = (
    "status",
    "rank",
    "candidate_id",
    "caption",
    "schema",
    "datasets",
    "score",
    "match",
    "features",
    "link",
)
NO_CANDIDATES = "no candidates"
INVALID = "invalid"


@dataclass(frozen=True)
class ListRow:
    """One row of the list: its line (CSV) or row number (XLSX), its values, and the
    query it becomes (None with `error` if a value is unusable, or if it is empty)."""

    number: int
    values: Mapping[str, str]
    query: MatchQuery | None
    error: str = ""


@dataclass(frozen=True)
class ScreeningList:
    """A list read and checked: where it came from, its columns, and its rows."""

    source: SourceFile
    schema: str
    maps: Mapping[str, str]  # property -> column
    columns: list[str]
    rows: list[ListRow] = field(default_factory=list)


def entity_link(entity_id: str) -> str:
    """The entity's page in the web interface (relative to the server)."""
    return "/entities/" + quote(entity_id, safe="")


def check_maps(schema_name: str, maps: Mapping[str, str], where: str = "--map") -> str:
    """The schema's name, if it is screened and every mapped property is one of its
    (entity-valued ones are not: a list names people, not stored ids)."""
    schema = model.get(schema_name)
    if schema is None:
        raise MappingError("--schema", f"no followthemoney schema named {schema_name!r}")
    if not any(schema.is_a(m) for m in MATCHED_SCHEMATA):
        known = ", ".join(sorted(MATCHED_SCHEMATA))
        raise MappingError("--schema", f"threadline screens only {known}, not {schema.name}")
    if not maps:
        raise MappingError(where, "map at least one column, e.g. name=COLUMN")
    for prop_name, column in maps.items():
        prop = schema.get(prop_name)
        if prop is None:
            raise MappingError(
                where, f"{prop_name}={column}: {schema.name} has no property {prop_name!r}"
            )
        if prop.type == registry.entity:
            raise MappingError(
                where, f"{prop_name}={column}: {prop_name} links to another entity; map a value"
            )
    types = {prop.type.name for p in maps if (prop := schema.get(p)) is not None}
    if not types & {"name", "identifier"}:
        raise MappingError(
            where, "map a name (e.g. name=COLUMN) or an identifier: candidates are found by them"
        )
    return schema.name


def read_list(
    path: Path,
    schema: str,
    maps: Mapping[str, str],
    *,
    where: str = "--map",
    name: str | None = None,
) -> ScreeningList:
    """Read a CSV or XLSX list; a bad mapping, a missing column or an unreadable file
    is an error naming it, a row with an unusable value is kept with its error.
    `name` is how errors name the file (an upload's own name, not the server's path)."""
    label = name or str(path)
    suffix = path.suffix.lower()
    if suffix not in LIST_SUFFIXES:
        raise InputError(label, f"screen a CSV or XLSX list ({', '.join(LIST_SUFFIXES)})")
    schema_name = check_maps(schema, maps, where)
    try:
        source = open_source(path, binary=suffix == ".xlsx")
        limits = Limits()
        if suffix == ".xlsx":
            header = read_xlsx_header(source, limits)
            records = read_xlsx(source, limits=limits)
        else:
            header = read_csv_header(source)
            records = read_csv(source, limits=limits)
        for prop_name, column in maps.items():
            if column not in header:
                known = ", ".join(repr(h) for h in header)
                raise MappingError(
                    where,
                    f"{prop_name}={column}: {label} has no column {column!r} (it has {known})",
                )
        rows: list[ListRow] = []
        for number, record in records:
            if len(rows) >= MAX_ROWS:
                raise InputError(label, f"has more than {MAX_ROWS:,} rows; split the list", number)
            rows.append(_row(number, record, schema_name, maps))
    except InputError as error:
        if name is None or isinstance(error, MappingError):
            raise
        raise type(error)(name, error.message, error.line) from None
    return ScreeningList(source, schema_name, dict(maps), header, rows)


def _row(number: int, record: Mapping[str, str], schema: str, maps: Mapping[str, str]) -> ListRow:
    properties = {p: record[c] for p, c in maps.items() if record.get(c)}
    if not properties:
        return ListRow(number, record, None, "no values in the mapped columns")
    try:
        query = MatchQuery.parse({"schema": schema, "properties": properties}, f"row {number}")
    except ValueError as error:
        return ListRow(number, record, None, str(error))
    if not query.names and not query.identifiers:
        return ListRow(number, record, None, "no name or identifier left after cleaning")
    return ListRow(number, record, query)


def write_results(
    header: Sequence[str], rows: Iterable[Sequence[str]], out: IO[bytes], format: str
) -> None:
    """The results table as CSV or XLSX, every cell neutralised (`threadline.app.sheets`):
    a name in a leaked list must not run as a formula in the analyst's spreadsheet."""
    if format == "xlsx":
        write_xlsx(rows, out, header, title="screening")
        return
    if format != "csv":
        raise ValueError(f"format: use one of {', '.join(OUT_FORMATS)}")
    for chunk in csv_chunks(rows, header):
        out.write(chunk.encode("utf-8"))


def format_of(path: Path) -> str:
    """The results format a path's suffix asks for."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in OUT_FORMATS:
        raise InputError(path, f"write results as .csv or .xlsx, not {path.suffix or 'no suffix'}")
    return suffix
