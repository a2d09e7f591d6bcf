"""Bad input gets a clear error naming the file (and line), and nothing of it is written."""

from __future__ import annotations

import io
import random
import resource
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from threadline.app.workbench import Workbench
from threadline.errors import IngestAborted, InputError, MappingError
from threadline.ingest.pipeline import _WRITE_BATCH
from threadline.ingest.source import MAX_LINE_BYTES

if TYPE_CHECKING:
    from .conftest import StoreState

State = Callable[[Workbench], "StoreState"]
IngestError = Callable[..., InputError]

PERSON_FLAGS: dict[str, Any] = {
    "schema": "Person",
    "maps": {"name": "Full name", "birthDate": "DOB"},
}


def person_rows(count: int) -> list[str]:
    """`count` good CSV rows for the Full name/DOB header."""
    return [f"Person {i:05d},19{i % 90 + 10}-01-{i % 28 + 1:02d}" for i in range(count)]


def write_csv(path: Path, rows: list[str], header: str = "Full name,DOB") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# 1. Wrong number of columns ---------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_row", "found"),
    [("Bob Bauer,1980-01-01,extra", 3), ("Bob Bauer", 1), ("a,b,c,d,e", 5)],
)
def test_csv_row_with_wrong_column_count(
    seeded: Workbench,
    files: Path,
    state: State,
    ingest_error: IngestError,
    bad_row: str,
    found: int,
) -> None:
    path = write_csv(files / "people.csv", ["Anna Schmidt,1970-01-02", bad_row])
    before = state(seeded)

    error = ingest_error(seeded, [path], "people", **PERSON_FLAGS)

    assert error.path == str(path)
    assert error.line == 3
    assert str(error) == (f"{path}:3: expected 2 columns (as in the header), found {found}")
    assert state(seeded) == before


def test_wrong_column_count_after_a_multiline_field_names_the_record_start(
    bench: Workbench, files: Path, ingest_error: IngestError
) -> None:
    # Line 2-4 is one record with a quoted field spanning three lines; line 5 is bad.
    path = files / "notes.csv"
    path.write_text(
        'Full name,DOB\n"Anna\nSchmidt\nthe elder",1970-01-02\nBob,1980-01-01,x\n',
        encoding="utf-8",
    )
    error = ingest_error(bench, [path], "people", **PERSON_FLAGS)
    assert (error.path, error.line) == (str(path), 5)
    assert "found 3" in error.message


# 2. Encodings ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
@pytest.mark.parametrize("rows", [1, 40], ids=["tiny", "forty-rows"])
def test_legacy_western_encoding_is_detected_and_round_trips(
    bench: Workbench, files: Path, encoding: str, rows: int
) -> None:
    names = ["Jürgen Müller", "François Lefèvre", "José Núñez", "Søren Åkesson", "Zoë Weiß"]
    lines = ["Full name,DOB"] + [f"{names[i % len(names)]},1970-01-02" for i in range(rows)]
    path = files / "legacy.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the premise: this file is not UTF-8

    bench.ingest([path], "legacy", **PERSON_FLAGS)

    stored = {value for e in bench.export() for value in e["properties"]["name"]}
    assert stored == set(names[:rows])
    hit = bench.search("Müller", limit=1).hits[0]
    assert hit.caption == "Jürgen Müller"


def test_utf8_with_bom_header_matches_the_mapped_column(bench: Workbench, files: Path) -> None:
    # Excel's "CSV UTF-8" starts with a BOM, which must not become part of "Full name".
    path = files / "excel.csv"
    path.write_bytes("Full name,DOB\r\nJürgen Müller,1970-01-02\r\n".encode("utf-8-sig"))
    bench.ingest([path], "excel", **PERSON_FLAGS)
    [entity] = list(bench.export())
    assert entity["properties"]["name"] == ["Jürgen Müller"]


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 50)
    return buffer.getvalue()


@pytest.mark.parametrize("suffix", [".csv", ".ijson", ".yml"])
@pytest.mark.parametrize(
    "content",
    [random.Random(7).randbytes(4096), _zip_bytes()],
    ids=["random-bytes", "zip-archive"],
)
def test_binary_garbage_is_refused_clearly(
    seeded: Workbench,
    files: Path,
    state: State,
    ingest_error: IngestError,
    suffix: str,
    content: bytes,
) -> None:
    path = files / f"garbage{suffix}"
    path.write_bytes(content)
    before = state(seeded)

    error = ingest_error(seeded, [path], "people", **PERSON_FLAGS)

    assert error.path == str(path)
    assert str(error) == (
        f"{path}: is not UTF-8 and its encoding could not be detected; convert it to UTF-8"
    )
    assert state(seeded) == before


def test_invalid_utf8_after_the_detection_sample_names_the_line(
    seeded: Workbench, files: Path, state: State, ingest_error: IngestError
) -> None:
    # Encoding is detected from the first MiB; a bad byte later must still name its line.
    # A wide unmapped column gets past that MiB in few rows (mapping rows is the slow part).
    rows = [f"{row},{'x' * 250}" for row in person_rows(5000)]
    good_bytes = ("\n".join(["Full name,DOB,Notes", *rows]) + "\n").encode("utf-8")
    assert len(good_bytes) > 1 << 20
    path = files / "late.csv"
    path.write_bytes(good_bytes + "Jürgen Müller,1970-01-02,x\n".encode("cp1252"))
    before = state(seeded)

    error = ingest_error(seeded, [path], "people", **PERSON_FLAGS)

    assert (error.path, error.line) == (str(path), len(rows) + 2)
    assert "is not valid utf-8" in error.message
    assert state(seeded) == before


# 3. Mapping YAML naming unknown things ----------------------------------------------

PEOPLE_CSV = "id,name,country\n1,Anna Schmidt,de\n2,Bob Bauer,fr\n"

MAPPING = """\
# People from the registry.
people:
  queries:
    - csv_url: people.csv
      entities:
        person:
          schema: {schema}
          keys:
            - {key}
          properties:
            {prop}:
              column: {column}
            country: {{column: country}}
"""
GOOD = {"schema": "Person", "key": "id", "prop": "name", "column": "name"}


@pytest.mark.parametrize(
    ("field", "bad", "line", "expected"),
    [
        ("schema", "Persn", 7, "unknown schema 'Persn'"),
        ("key", "ident", 9, "unknown column 'ident' (the CSV has: country, id, name)"),
        ("prop", "fullName", 11, "schema Person has no property 'fullName'"),
        ("column", "full_name", 12, "unknown column 'full_name' (the CSV has: country, id, name)"),
    ],
)
def test_mapping_naming_unknown_things_names_the_yaml_line(
    seeded: Workbench,
    files: Path,
    state: State,
    field: str,
    bad: str,
    line: int,
    expected: str,
) -> None:
    (files / "people.csv").write_text(PEOPLE_CSV, encoding="utf-8")
    text = MAPPING.format(**{**GOOD, field: bad})
    assert bad in text.splitlines()[line - 1]  # the line the error must name
    path = files / "people.yml"
    path.write_text(text, encoding="utf-8")
    before = state(seeded)

    with pytest.raises(MappingError) as info:
        seeded.ingest([path])

    assert (info.value.path, info.value.line) == (str(path), line)
    assert str(info.value) == f"{path}:{line}: {expected}"
    assert state(seeded) == before
    assert [d.name for d in seeded.datasets()] == ["people"]


def test_the_good_mapping_of_those_tests_does_ingest(bench: Workbench, files: Path) -> None:
    # The control for the test above: only the named field makes the mapping fail.
    (files / "people.csv").write_text(PEOPLE_CSV, encoding="utf-8")
    path = files / "people.yml"
    path.write_text(MAPPING.format(**GOOD), encoding="utf-8")
    [report] = bench.ingest([path])
    assert (report.dataset, report.records, report.entities) == ("people", 2, 2)


def test_mapping_with_missing_csv_names_the_csv_url_line(
    bench: Workbench, files: Path, state: State
) -> None:
    path = files / "people.yml"
    path.write_text(MAPPING.format(**GOOD), encoding="utf-8")
    before = state(bench)
    with pytest.raises(MappingError) as info:
        bench.ingest([path])
    assert (info.value.path, info.value.line) == (str(path), 4)
    assert "csv_url 'people.csv'" in str(info.value)
    assert "no such file" in str(info.value)
    assert state(bench) == before


# 4. Invalid JSON on line N ----------------------------------------------------------

GOOD_ENTITY = '{{"id": "e{n}", "schema": "Person", "properties": {{"name": ["Person {n}"]}}}}'


@pytest.mark.parametrize(
    ("bad_line", "expected"),
    [
        ('{"id": "e5", "schema": "Person"', "invalid JSON at column 32: unexpected end of data"),
        ("{'id': 'e5'}", "invalid JSON at column 2: "),
        ('{"id": "e5", "schema": "Person"} trailing', "invalid JSON at column 34: "),
        ('["e5", "Person"]', "expected a JSON object (an FtM entity)"),
        ('{"id": "e5", "schema": "Persn"}', "unknown or missing schema 'Persn'"),
        ('{"schema": "Person"}', "entity has no 'id'"),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_bad_json_line_names_file_and_line(
    seeded: Workbench,
    files: Path,
    state: State,
    ingest_error: IngestError,
    bad_line: str,
    expected: str,
    newline: str,
) -> None:
    # Line 3 is blank: line numbers are physical lines, so the bad one is line 6.
    lines = [GOOD_ENTITY.format(n=1), GOOD_ENTITY.format(n=2), "", GOOD_ENTITY.format(n=3)]
    lines += [GOOD_ENTITY.format(n=4), bad_line, GOOD_ENTITY.format(n=6)]
    path = files / "entities.ijson"
    path.write_bytes(newline.join(lines).encode("utf-8") + newline.encode())
    before = state(seeded)

    error = ingest_error(seeded, [path], "people")

    assert (error.path, error.line) == (str(path), 6)
    assert str(error).startswith(f"{path}:6: {expected}")
    # orjson's own "line 1 column 5" would contradict the file line we name.
    assert " line " not in error.message
    assert state(seeded) == before


def test_json_array_file_gets_a_hint(
    bench: Workbench, files: Path, ingest_error: IngestError
) -> None:
    path = files / "entities.json"
    path.write_text('[\n  {"id": "a", "schema": "Person"}\n]\n', encoding="utf-8")
    error = ingest_error(bench, [path], "people")
    assert error.line == 1
    assert "one entity object per line" in error.message


# 5. Empty files -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".ijson", ".jsonl", ".csv", ".tsv", ".xlsx", ".yml"])
def test_empty_file(
    seeded: Workbench,
    files: Path,
    state: State,
    ingest_error: IngestError,
    suffix: str,
) -> None:
    path = files / f"empty{suffix}"
    path.touch()
    before = state(seeded)
    error = ingest_error(seeded, [path], "people", **PERSON_FLAGS)
    assert (error.path, error.line) == (str(path), None)
    assert str(error) == f"{path}: is empty"
    assert state(seeded) == before


def test_mapping_with_only_comments_is_empty(
    bench: Workbench, files: Path, ingest_error: IngestError
) -> None:
    path = files / "todo.yml"
    path.write_text("# mapping to be written\n\n", encoding="utf-8")
    error = ingest_error(bench, [path])
    assert isinstance(error, MappingError)
    assert str(error) == f"{path}: is empty"


def test_csv_with_only_blank_lines_has_no_header(
    bench: Workbench, files: Path, ingest_error: IngestError
) -> None:
    path = files / "blank.csv"
    path.write_text("\n\n\n", encoding="utf-8")
    error = ingest_error(bench, [path], "people", **PERSON_FLAGS)
    assert str(error) == f"{path}: has no header row"


# 6. One 2 GB line -----------------------------------------------------------------

TWO_GB = 2 * 1024**3


def _sparse_file(path: Path, first_lines: bytes, size: int) -> Path:
    """A file of `size` bytes: some good lines, then NULs without a newline, using no disk."""
    with path.open("wb") as fh:
        fh.write(first_lines)
        fh.truncate(size)
    if path.stat().st_blocks * 512 > 64 << 20:
        path.unlink()
        pytest.skip("this filesystem does not support sparse files")
    return path


def _peak_memory(action: Callable[[], object]) -> tuple[object, int, int]:
    """Run `action`; return its result (or exception), peak traced bytes, max RSS growth."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        try:
            result: object = action()
        except Exception as exc:
            result = exc
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return result, peak, rss_after - rss_before


@pytest.mark.slow
def test_two_gigabyte_line_is_refused_with_bounded_memory(
    seeded: Workbench, files: Path, state: State
) -> None:
    line = GOOD_ENTITY.format(n=1).encode() + b"\n"
    path = _sparse_file(files / "huge.ijson", line, TWO_GB)
    before = state(seeded)

    result, peak, rss_growth = _peak_memory(lambda: seeded.ingest([path], "people"))

    assert isinstance(result, IngestAborted), result
    error = result.error
    assert (error.path, error.line) == (str(path), 2)
    assert str(error) == (
        f"{path}:2: line is longer than {MAX_LINE_BYTES} bytes; refusing to load it"
    )
    # Bounded by the line limit, not the file: far below the 2 GiB on disk.
    assert peak < MAX_LINE_BYTES * 2 < TWO_GB // 8
    assert rss_growth < MAX_LINE_BYTES * 4
    assert state(seeded) == before


def test_overlong_line_is_skipped_unread_with_skip_errors(bench: Workbench, files: Path) -> None:
    # Twice the limit, not 2 GiB: the same code path, and the test stays quick.
    head = b"Full name,DOB\nAnna Schmidt,1970-01-02\n"
    path = _sparse_file(files / "huge.csv", head, 2 * MAX_LINE_BYTES)

    result, peak, _ = _peak_memory(
        lambda: bench.ingest([path], "people", skip_errors=True, **PERSON_FLAGS)
    )

    assert isinstance(result, list), result
    [report] = result
    assert [(e.path, e.line) for e in report.errors] == [(str(path), 3)]
    assert "refusing to load it" in report.errors[0].message
    assert (report.records, report.entities) == (1, 1)
    assert peak < MAX_LINE_BYTES * 2


# 7. Paths that do not exist -------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ijson", ".yml", ".txt"])
@pytest.mark.parametrize("with_flags", [True, False], ids=["flags", "no-flags"])
def test_missing_path(
    bench: Workbench,
    tmp_path: Path,
    ingest_error: IngestError,
    suffix: str,
    with_flags: bool,
) -> None:
    # Without flags too: a typo in a path must not be reported as "give --dataset".
    path = tmp_path / f"no-such-file{suffix}"
    kwargs = PERSON_FLAGS if with_flags else {}
    error = ingest_error(bench, [path], "people" if with_flags else None, **kwargs)
    assert str(error) == f"{path}: no such file"


def test_an_empty_directory_is_named(
    bench: Workbench, files: Path, ingest_error: IngestError
) -> None:
    # A folder is ingested file by file (docs/documents.md); one with none is an error.
    folder = files / "exports.csv"
    folder.mkdir()
    (folder / ".hidden").write_text("left out")
    error = ingest_error(bench, [folder], "people", **PERSON_FLAGS)
    assert str(error) == f"{folder}: is a folder with no files to ingest"


def test_a_missing_second_path_stops_the_first_from_being_written(
    seeded: Workbench, files: Path, state: State, ingest_error: IngestError
) -> None:
    good = write_csv(files / "good.csv", person_rows(3))
    missing = files / "missing.csv"
    before = state(seeded)
    error = ingest_error(seeded, [good, missing], "people", **PERSON_FLAGS)
    assert error.path == str(missing)
    assert state(seeded) == before


# A failing file is not half-ingested -----------------------------------------------


def test_bad_row_1001_leaves_store_and_index_as_they_were(
    seeded: Workbench, files: Path, state: State, ingest_error: IngestError
) -> None:
    path = write_csv(files / "people.csv", [*person_rows(1000), "Bad Row,1970-01-01,x"])
    before = state(seeded)

    error = ingest_error(seeded, [path], "people", **PERSON_FLAGS)

    assert (error.path, error.line) == (str(path), 1002)  # header + 1000 good rows
    assert state(seeded) == before
    assert seeded.search("Person 00001").total == 0


@pytest.mark.slow
def test_rollback_covers_statements_already_sent_to_the_store(
    seeded: Workbench, files: Path, state: State, ingest_error: IngestError
) -> None:
    # Each row gives 3 statements (id, name, birthDate): enough rows that the pipeline
    # hands at least one full batch to the store before it reaches the bad row.
    rows = person_rows(_WRITE_BATCH // 3 + 100)
    path = write_csv(files / "people.csv", [*rows, "Bad Row"])
    before = state(seeded)

    error = ingest_error(seeded, [path], "people", **PERSON_FLAGS)

    assert error.line == len(rows) + 2
    assert state(seeded) == before


def test_files_are_written_one_transaction_each(
    seeded: Workbench, files: Path, state: State, ingest_error: IngestError
) -> None:
    # Documented: a good file before a failing one is kept; the failing one is not.
    good = write_csv(files / "good.csv", person_rows(3))
    bad = write_csv(files / "bad.csv", ["Anna,1970-01-01", "Bob"])
    before = state(seeded)

    error = ingest_error(seeded, [good, bad], "people", **PERSON_FLAGS)

    assert error.path == str(bad)
    after = state(seeded)
    assert after.documents == before.documents + 3
    assert sorted(s.name for s in after.sources) == ["good.csv", "seed.ijson"]
    assert seeded.search("Anna", limit=5).total == 1  # the seed's Anna Schmidt only


# --skip-errors --------------------------------------------------------------------


def test_skip_errors_writes_good_rows_and_reports_bad_lines(bench: Workbench, files: Path) -> None:
    rows = person_rows(6)
    rows[1] = "Two,Too,Many"  # line 3
    rows[4] = "Lonely"  # line 6
    path = write_csv(files / "people.csv", rows)

    [report] = bench.ingest([path], "people", skip_errors=True, **PERSON_FLAGS)

    assert [(e.path, e.line) for e in report.errors] == [(str(path), 3), (str(path), 6)]
    assert [e.message for e in report.errors] == [
        "expected 2 columns (as in the header), found 3",
        "expected 2 columns (as in the header), found 1",
    ]
    assert (report.records, report.entities) == (4, 4)
    names = sorted(e["properties"]["name"][0] for e in bench.export())
    assert names == [rows[i].split(",")[0] for i in (0, 2, 3, 5)]
    assert bench.index.count() == 4
    assert bench.datasets()[0].entities == 4


def test_skip_errors_on_entity_lines(bench: Workbench, files: Path) -> None:
    lines = [
        GOOD_ENTITY.format(n=1),
        "{not json",
        GOOD_ENTITY.format(n=3),
        '{"id": "e4", "schema": "Persn", "properties": {}}',
        '{"id": "e5", "schema": "Person", "properties": {"nmae": ["X"]}}',
        GOOD_ENTITY.format(n=6),
    ]
    path = files / "entities.ijson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    [report] = bench.ingest([path], "people", skip_errors=True)

    assert [e.line for e in report.errors] == [2, 4, 5]
    assert all(e.path == str(path) for e in report.errors)
    assert "schema Person has no property 'nmae'" in report.errors[2].message
    assert sorted(report.entity_ids) == ["e1", "e3", "e6"]
    assert sorted(e["id"] for e in bench.export()) == ["e1", "e3", "e6"]
