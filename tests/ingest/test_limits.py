"""Caps on what one file may cost: zip bombs, huge values, endless sheets, time, memory.

Every case ends in an InputError naming the file (and the row where there is one),
through the same pipeline functions the workbench calls, and never writes anything.
"""

from __future__ import annotations

import contextlib
import logging
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from threadline.app.workbench import Workbench
from threadline.errors import InputError, MappingError
from threadline.ingest import FileReport, IngestOptions, plan_file, run_plan
from threadline.ingest.archive import check_archive
from threadline.ingest.limits import Limits

from . import bombs

# A long sheet, so that openpyxl meets a damage at its end only while reading rows.
ROWS = bombs.inline_row(1, "name") + "".join(bombs.inline_row(i, "ACME") for i in range(2, 2001))
COMPANY: dict[str, Any] = {"dataset": "bombs", "schema": "Company", "maps": {"name": "name"}}


def ingest(
    bench: Workbench,
    path: Path,
    limits: Limits | None = None,
    workers: int = 1,
    skip_errors: bool = False,
    **flags: Any,
) -> FileReport:
    """Plan and run one file as `Workbench.ingest` does, with the given limits."""
    options = IngestOptions(
        **(flags or COMPANY), skip_errors=skip_errors, limits=limits or Limits()
    )
    plan = plan_file(path, options)
    return run_plan(bench.store.writer, plan, skip_errors, None, workers, 0)


def refused(bench: Workbench, path: Path, **kwargs: Any) -> InputError:
    """The InputError ingesting `path` raises; nothing may have been written."""
    before = bench.store.count_statements()
    with pytest.raises(InputError) as info:
        ingest(bench, path, **kwargs)
    assert info.value.path == str(path)
    assert str(info.value).startswith(str(path))
    assert bench.store.count_statements() == before
    return info.value


def peak_bytes(action: Callable[[], object]) -> int:
    """Peak Python memory while running `action` (which may raise)."""
    tracemalloc.start()
    try:
        with contextlib.suppress(InputError):
            action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# XLSX archives -----------------------------------------------------------------------


def test_a_shared_string_bomb_is_refused_before_it_is_inflated(
    bench: Workbench, files: Path
) -> None:
    # 64 MiB of "A" deflates to about 64 KB: the 1 GiB bomb, smaller.
    path = bombs.huge_string(files / "bomb.xlsx", 64 << 20)
    assert path.stat().st_size < 1 << 20
    error = refused(bench, path)
    assert "part xl/sharedStrings.xml expands" in error.message
    assert "zip bomb" in error.message
    assert peak_bytes(lambda: ingest(bench, path)) < 4 << 20


def test_an_over_long_shared_string_is_refused_while_streaming(
    bench: Workbench, files: Path
) -> None:
    # With the ratio check out of the way, the streaming scan still stops it.
    path = bombs.huge_string(files / "long.xlsx", 8 << 20)
    limits = Limits(max_compression_ratio=10_000, max_field_chars=1 << 20)
    error = refused(bench, path, limits=limits)
    assert error.message == (
        "part xl/sharedStrings.xml holds a value longer than 1,048,576 characters, "
        "the most allowed in one value"
    )
    assert peak_bytes(lambda: ingest(bench, path, limits)) < 8 << 20


def test_too_many_shared_strings(bench: Workbench, files: Path) -> None:
    path = bombs.many_strings(files / "strings.xlsx", 20_000)
    limits = Limits(max_compression_ratio=10_000, max_shared_strings=10_000)
    error = refused(bench, path, limits=limits)
    assert error.message == "has more than 10,000 shared strings, the most allowed in an XLSX file"


def test_the_uncompressed_total_is_capped(bench: Workbench, files: Path) -> None:
    path = files / "small.xlsx"
    path.write_bytes(bombs.xlsx_bytes([["name"], ["ACME"]]))
    error = refused(bench, path, limits=Limits(max_uncompressed_bytes=1_000))
    assert "allowed for an XLSX file" in error.message
    # The same file within the default limits is fine.
    assert ingest(bench, path).records == 1


def test_a_sheet_declaring_seventeen_billion_cells_is_stopped_by_the_cell_cap(
    bench: Workbench, files: Path
) -> None:
    # Two rows, but openpyxl fills in every cell up to XFD1048576.
    rows = bombs.inline_row(1, "name") + bombs.inline_row(1_048_576, "ACME")
    path = bombs.with_sheet(files / "wide.xlsx", bombs.sheet_xml(rows, "A1:XFD1048576"))
    assert path.stat().st_size < 10_000
    error = refused(bench, path)
    assert error.message == (
        "sheet 'Sheet' has more than 50,000,000 cells (counting empty ones up to its "
        "declared size), the most allowed"
    )
    assert error.line == 50_000_000 // 16_384 + 1


def test_rows_beyond_excels_last_row_are_refused(bench: Workbench, files: Path) -> None:
    rows = bombs.inline_row(1, "name") + bombs.inline_row(1_048_577, "ACME")
    path = bombs.with_sheet(files / "long.xlsx", bombs.sheet_xml(rows))
    error = refused(bench, path)
    assert (error.line, error.message) == (1_048_577, "has rows beyond Excel's 1,048,576")


def test_an_over_long_cell_is_a_row_error(bench: Workbench, files: Path) -> None:
    rows = bombs.inline_row(1, "name") + bombs.inline_row(2, "A" * 2_000)
    rows += bombs.inline_row(3, "ACME")
    path = bombs.with_sheet(files / "cell.xlsx", bombs.sheet_xml(rows))
    limits = Limits(max_field_chars=1_000)
    error = refused(bench, path, limits=limits)
    assert (error.line, error.message) == (
        2,
        "column 'name' holds 2,000 characters, more than the 1,000 allowed in one value",
    )
    report = ingest(bench, path, limits, skip_errors=True)
    assert [e.line for e in report.errors] == [2]
    assert report.records == 1


def test_a_doctype_is_refused(bench: Workbench, files: Path) -> None:
    sheet = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + bombs.sheet_xml(
        bombs.inline_row(1, "&a;")
    )
    path = bombs.with_sheet(files / "doctype.xlsx", sheet)
    error = refused(bench, path)
    assert error.message.startswith("part xl/worksheets/sheet1.xml has an XML declaration")


@pytest.mark.parametrize(
    ("part", "content", "expected"),
    [
        # openpyxl opens the workbook with lxml, a core dependency since documents came.
        ("xl/workbook.xml", b"<workbook", "cannot open as XLSX: XMLSyntaxError: "),
        (
            "xl/worksheets/sheet1.xml",
            bombs.sheet_xml(ROWS, "A1:A2000")[:-30] + b"<row r='2001'><c",
            "cannot read sheet 'Sheet': ParseError: ",
        ),
        ("xl/_rels/workbook.xml.rels", b"<Relationships/>", "cannot open as XLSX: KeyError"),
    ],
    ids=["workbook", "sheet", "relations"],
)
def test_a_damaged_xlsx_is_an_input_error(
    bench: Workbench, files: Path, part: str, content: bytes, expected: str
) -> None:
    data = bombs.xlsx_bytes([["name"], ["ACME"]])
    path = bombs.replace_part(data, part, [content], files / "damaged.xlsx")
    error = refused(bench, path)
    assert error.message.startswith(expected), error.message
    if part.endswith("sheet1.xml"):
        assert error.line is not None and error.line > 1


def test_a_truncated_xlsx_is_an_input_error(bench: Workbench, files: Path) -> None:
    path = files / "cut.xlsx"
    path.write_bytes(bombs.xlsx_bytes([["name"], ["ACME"]])[:-200])
    error = refused(bench, path)
    assert error.message.startswith("is not an XLSX file (not a readable zip archive")


# Values ------------------------------------------------------------------------------


def test_an_over_long_csv_field_names_line_and_column(bench: Workbench, files: Path) -> None:
    path = files / "long.csv"
    path.write_text("name\nACME\n" + "B" * 50 + "\nCorp\n", encoding="utf-8")
    limits = Limits(max_field_chars=20)
    error = refused(bench, path, limits=limits)
    assert (error.line, error.message) == (
        3,
        "column 'name' holds 50 characters, more than the 20 allowed in one value",
    )
    assert ingest(bench, path, limits, skip_errors=True).records == 2


def test_an_over_long_ftm_value(bench: Workbench, files: Path) -> None:
    path = files / "long.ijson"
    path.write_text(
        '{"id": "a", "schema": "Person", "properties": {"name": ["' + "N" * 50 + '"]}}\n',
        encoding="utf-8",
    )
    error = refused(bench, path, limits=Limits(max_field_chars=20), dataset="people")
    assert (error.line, error.message) == (
        1,
        "property 'name' holds 50 characters, more than the 20 allowed in one value",
    )


# followthemoney's discarded values -----------------------------------------------------


def test_a_value_followthemoney_discards_is_a_row_error(
    bench: Workbench, files: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = files / "companies.csv"
    path.write_text("name,country\nACME,de\nNiedl BV,Niedlerlande\n", encoding="utf-8")
    flags: dict[str, Any] = {
        "dataset": "companies",
        "schema": "Company",
        "maps": {"name": "name", "jurisdiction": "country"},
    }
    caplog.set_level(logging.WARNING)
    error = refused(bench, path, **flags)
    assert (error.line, error.message) == (
        3,
        "followthemoney discarded unclean values: "
        "LegalEntity:jurisdiction cannot hold 'Niedlerlande' (entity 'record')",
    )
    report = ingest(bench, path, skip_errors=True, **flags)
    assert [(e.line, e.path) for e in report.errors] == [(3, str(path))]
    assert (report.records, report.entities) == (1, 1)
    # Reported once, with its row, instead of printed as a warning without one.
    assert not [r for r in caplog.records if r.name.startswith("followthemoney")]


def test_a_malformed_mapping_is_an_input_error(bench: Workbench, files: Path) -> None:
    (files / "c.csv").write_text("name\nACME\n", encoding="utf-8")
    path = files / "bad.yml"
    path.write_text(
        "ds:\n  queries:\n    - csv_url: c.csv\n      entities:\n        a:\n"
        "          schema: Company\n          keys: [name]\n          properties: name\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingError) as info:
        ingest(bench, path, dataset=None)
    assert info.value.path == str(path)
    assert "invalid mapping" in info.value.message or "properties" in info.value.message


# Time and memory ---------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2], ids=["one-process", "workers"])
def test_a_file_over_its_time_budget_fails_whole(
    bench: Workbench, files: Path, workers: int
) -> None:
    path = files / "slow.csv"
    path.write_text("name\n" + "".join(f"Company {i}\n" for i in range(50)), encoding="utf-8")
    limits = Limits(base_seconds=0.0, bytes_per_second=1 << 40)
    # Even with skip_errors: running out of time is the file's failure, not a row's.
    error = refused(bench, path, limits=limits, workers=workers, skip_errors=True)
    assert error.line == 2
    assert error.message.startswith("converting it took longer than 0 s, the limit")


def test_a_worker_over_its_memory_limit_fails_the_file(bench: Workbench, files: Path) -> None:
    path = files / "big.csv"
    path.write_text("name\n" + "".join(f"{i}{'C' * 200_000}\n" for i in range(50)))
    # One byte more than the worker holds after start-up: its first chunk cannot arrive.
    error = refused(bench, path, limits=Limits(max_worker_memory_bytes=1), workers=2)
    assert "MiB" in error.message
    # The calling process was not limited: the same file converts there.
    assert ingest(bench, path, Limits(max_worker_memory_bytes=1)).records == 50


def test_shared_strings_are_counted_exactly_across_chunks(files: Path) -> None:
    # 1.7 MB of strings: the scan's 1 MiB chunks split one of them.
    path = bombs.many_strings(files / "strings.xlsx", 100_000)
    exact = Limits(max_compression_ratio=10_000, max_shared_strings=100_002)
    check_archive(path, exact)
    with pytest.raises(InputError, match="more than 100,001 shared strings"):
        check_archive(path, replace(exact, max_shared_strings=100_001))
