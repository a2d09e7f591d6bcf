"""Fuzzing every parser: any bytes end in a good ingest or an InputError naming the file.

Valid files (CSV, TSV, XLSX, FtM JSON lines, a mapping YAML) are mutated byte by
byte, or replaced by generated structures, and ingested through the pipeline
functions the workbench calls. Anything but an InputError whose message names the
file (and a line or row within it, where it gives one) is a bug. Bounded: about
100 examples per parser, the whole file in well under a minute.
"""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from threadline.app.workbench import Workbench
from threadline.errors import InputError
from threadline.ingest import IngestOptions, plan_file, run_plan

from . import bombs

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INTERESTING = [b'"', b"\n", b"\r", b",", b"\t", b"\x00", b"\xff", b"\xc3", b"{", b"[", b":"]
Mutation = tuple[int, str, bytes]

CSV = b'Full name,DOB,country\r\nAnna Schmidt,1970-01-02,de\r\n"M\xc3\xbcller, J",1980,fr\r\n'
JSONL = (
    b'{"id": "a", "schema": "Person", "properties": {"name": ["Anna"], "country": ["de"]}}\n'
    b'{"id": "b", "schema": "Company", "properties": {"name": ["ACME"]}}\n'
)
MAPPING = b"""people:
  queries:
    - csv_url: people.csv
      entities:
        person:
          schema: Person
          keys: [Full name]
          properties:
            name: {column: Full name}
            birthDate: {column: DOB}
"""
PERSON: dict[str, Any] = {
    "dataset": "fuzz",
    "schema": "Person",
    "maps": {"name": "Full name", "birthDate": "DOB"},
}


@pytest.fixture(scope="module")
def place(
    tmp_path_factory: pytest.TempPathFactory, bench_factory: Callable[[Path], Any]
) -> Iterator[tuple[Workbench, Path, Iterator[int]]]:
    """One workbench for all examples of this module, a folder, and a counter."""
    root = tmp_path_factory.mktemp("fuzz")
    with bench_factory(root / "data") as bench:
        yield bench, root, itertools.count()


def mutations(size: int) -> st.SearchStrategy[list[Mutation]]:
    """Inserts, deletions and replacements at positions within `size` bytes."""
    piece = st.sampled_from(INTERESTING) | st.binary(min_size=1, max_size=3)
    op = st.sampled_from(["insert", "delete", "replace"])
    return st.lists(st.tuples(st.integers(0, size), op, piece), min_size=1, max_size=6)


def mutate(data: bytes, changes: list[Mutation]) -> bytes:
    """`data` with the changes applied in turn."""
    out = bytearray(data)
    for position, op, piece in changes:
        at = min(position, len(out))
        if op == "insert":
            out[at:at] = piece
        elif op == "delete":
            del out[at : at + len(piece)]
        else:
            out[at : at + len(piece)] = piece
    return bytes(out)


def check(
    place: tuple[Workbench, Path, Iterator[int]], name: str, data: bytes, **flags: Any
) -> None:
    """Ingest `data` as a file called `name`: it works, or it is an InputError naming it."""
    bench, root, counter = place
    folder = root / f"case{next(counter)}"
    folder.mkdir()
    (folder / "people.csv").write_bytes(CSV)  # what the mapping names
    path = folder / name
    path.write_bytes(data)
    options = IngestOptions(**flags)
    try:
        plan = plan_file(path, options)
        run_plan(bench.store.writer, plan, False, None, 1, 0)
        event("ingested")
    except InputError as error:
        event("refused: " + error.message.split(":")[0][:40])
        names = (str(path), str(folder / "people.csv"))
        assert any(n in str(error) for n in names), error
        if error.line is not None:
            assert error.line >= 1, error
            if not name.endswith(".xlsx"):
                named = Path(error.path) if error.path in names else path
                # Any line break counts: YAML also breaks lines at "\r" and U+2028.
                text = named.read_bytes().decode("utf-8", errors="replace")
                assert error.line <= len(text.splitlines()) + 1, error


@FUZZ
@given(st.sampled_from([".csv", ".tsv"]), mutations(len(CSV)))
def test_csv_and_tsv(place: Any, suffix: str, changes: list[Mutation]) -> None:
    data = mutate(CSV, changes)
    if suffix == ".tsv":
        data = data.replace(b",", b"\t")
    check(place, f"people{suffix}", data, **PERSON)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_as_csv(place: Any, data: bytes) -> None:
    check(place, "people.csv", data, **PERSON)


def _xlsx() -> bytes:
    return bombs.xlsx_bytes(
        [["Full name", "DOB"], ["Anna Schmidt", "1970-01-02"], ["Bo Berg", "1980"]]
    )


XLSX = _xlsx()
PARTS = sorted(zipfile.ZipFile(io.BytesIO(XLSX)).namelist())


@FUZZ
@given(mutations(len(XLSX)))
def test_xlsx_bytes(place: Any, changes: list[Mutation]) -> None:
    check(place, "people.xlsx", mutate(XLSX, changes), **PERSON)


@FUZZ
@given(st.sampled_from(PARTS), st.data())
def test_xlsx_parts(place: Any, part: str, data: st.DataObject) -> None:
    # Damage inside one part of a well-formed archive reaches openpyxl's XML parsers.
    with zipfile.ZipFile(io.BytesIO(XLSX)) as archive:
        content = archive.read(part)
    damaged = mutate(content, data.draw(mutations(len(content))))
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(XLSX)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, damaged if info.filename == part else source.read(info))
    check(place, "people.xlsx", buffer.getvalue(), **PERSON)


@FUZZ
@given(st.sampled_from([".ijson", ".jsonl"]), mutations(len(JSONL)))
def test_ftm_json_lines(place: Any, suffix: str, changes: list[Mutation]) -> None:
    check(place, f"entities{suffix}", mutate(JSONL, changes), dataset="fuzz")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)


entities = st.fixed_dictionaries(
    {
        "id": st.text(max_size=4) | json_values,
        "schema": st.sampled_from(["Person", "Payment", "x"]),
    },
    optional={
        "properties": st.dictionaries(
            st.sampled_from(["name", "country", "birthDate", "payer", "amount", "nope"]),
            json_values,
            max_size=3,
        )
    },
)


@FUZZ
@given(st.lists(entities | json_values, min_size=1, max_size=3))
def test_ftm_generated_lines(place: Any, values: list[Any]) -> None:
    lines = [json.dumps(v) for v in values]
    check(place, "entities.ijson", "\n".join(lines).encode(), dataset="fuzz")


@FUZZ
@given(mutations(len(MAPPING)))
def test_mapping_yaml(place: Any, changes: list[Mutation]) -> None:
    check(place, "people.yml", mutate(MAPPING, changes))


words = st.sampled_from(
    ["queries", "csv_url", "people.csv", "entities", "schema", "Person", "keys",
     "properties", "name", "column", "Full name", "DOB", "entity", "literal",
     "template", "filters", "split", "join", "required", "id_column", "query"]
)  # fmt: skip
mapping_values = st.recursive(
    words | st.integers() | st.none() | st.booleans(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=4),
    max_leaves=16,
)


person_props = st.sampled_from(["name", "birthDate", "country", "notes", "alias", "nope"])


@FUZZ
@given(
    st.dictionaries(words, mapping_values, max_size=3),
    st.dictionaries(words, mapping_values, max_size=3),
    st.dictionaries(person_props, mapping_values, max_size=4),
)
def test_generated_mapping_structures(
    place: Any, query: dict[str, Any], entity: dict[str, Any], props: dict[str, Any]
) -> None:
    # A mapping's skeleton with generated parts, made of the mapping's own words, so
    # that they get past the first checks into followthemoney's.
    person = {"schema": "Person", "keys": ["Full name"], **entity, "properties": props}
    query = {"csv_url": "people.csv", **query, "entities": {"person": person}}
    document = {"people": {"queries": [query]}}
    check(place, "people.yml", yaml.safe_dump(document).encode())
