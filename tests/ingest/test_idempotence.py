"""Ingesting the same source again changes nothing: same statements, entities, index.

A plain re-run skips the file (tests/ingest/test_resume_records.py); these write it
again with `force`, which must change nothing either."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.app.workbench import Workbench

if TYPE_CHECKING:
    from .conftest import StoreState

SCHEMATA = ["Person", "Company", "Organization", "LegalEntity"]
COUNTRIES = ["de", "fr", "ru", "gr", "tr", "us"]

# Ids as other tools make them: slugs, prefixed registry numbers, hashes, and unicode.
ids = st.text(
    alphabet=st.characters(categories=["L", "N"], include_characters="-._:"),
    min_size=1,
    max_size=24,
)
# Names in any script, with combining marks and odd spacing; no surrogates (not UTF-8).
names = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]),
    min_size=1,
    max_size=30,
)


@st.composite
def entity_lines(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Small FtM entity JSONL contents; some ids appear on more than one line."""
    entities = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "id": ids,
                    "schema": st.sampled_from(SCHEMATA),
                    "properties": st.fixed_dictionaries(
                        {"name": st.lists(names, min_size=1, max_size=3)},
                        optional={
                            "country": st.lists(st.sampled_from(COUNTRIES), max_size=2),
                            "alias": st.lists(names, max_size=2),
                        },
                    ),
                }
            ),
            min_size=1,
            max_size=8,
            unique_by=lambda e: str(e["id"]),
        )
    )
    # The same entity seen again further down, with more names (same id, same schema).
    repeats = draw(st.lists(st.sampled_from(entities), max_size=3))
    for entity in repeats:
        extra = draw(st.lists(names, min_size=1, max_size=2))
        entities.append({**entity, "properties": {"name": extra}})
    return entities


def statements(bench: Workbench) -> set[tuple[Any, ...]]:
    """Every stored statement, without `last_seen` (the one field a re-ingest may move)."""
    return {row[:-1] for rows in bench.store.iter_entities() for row in rows}


@settings(max_examples=25, deadline=None)
@given(entities=entity_lines())
def test_ftm_jsonl_ingested_twice_is_unchanged(
    bench_factory: Callable[[Path], Any],
    state: Callable[[Workbench], StoreState],
    entities: list[dict[str, Any]],
) -> None:
    # A fresh directory per example: function-scoped fixtures are not reset between them.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entities.ijson"
        path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entities))
        with bench_factory(Path(tmp) / "data") as bench:
            [first] = bench.ingest([path], "leak")
            before, rows, export = state(bench), statements(bench), list(bench.export())
            [second] = bench.ingest([path], "leak", force=True)

            assert state(bench).timeless() == before.timeless()
            assert statements(bench) == rows
            assert list(bench.export()) == export
            assert second.entity_ids == first.entity_ids == {e["id"] for e in entities}
            [stats] = bench.datasets()
            assert stats.entities == len({e["id"] for e in entities}) == bench.index.count()


PEOPLE_CSV = (
    "id,name,dob,employer\n"
    "1,Jürgen Müller,1970-01-02,Müller Bau GmbH\n"
    '2,"Weiß, Anna",1980-05-06,Weiß & Co KG\n'
    "3,Zoë Ñúñez,,Müller Bau GmbH\n"
    "3,Zoë Ñúñez,,Müller Bau GmbH\n"
)
PEOPLE_YML = """\
staff:
  queries:
    - csv_url: people.csv
      entities:
        person:
          schema: Person
          keys: [id]
          properties:
            name: {column: name}
            birthDate: {column: dob}
        employer:
          schema: Company
          keys: [employer]
          properties:
            name: {column: employer}
        employment:
          schema: Employment
          keys: [id, employer]
          properties:
            employee: {entity: person}
            employer: {entity: employer}
"""
QUICK_FLAGS: dict[str, Any] = {"schema": "Person", "maps": {"name": "name", "birthDate": "dob"}}


def _mapping(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    (folder / "people.csv").write_text(PEOPLE_CSV, encoding="utf-8")
    (folder / "people.yml").write_text(PEOPLE_YML, encoding="utf-8")
    return folder / "people.yml", None, {}


def _csv(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    (folder / "people.csv").write_text(PEOPLE_CSV, encoding="utf-8")
    return folder / "people.csv", "staff", QUICK_FLAGS


def _xlsx(folder: Path) -> tuple[Path, str | None, dict[str, Any]]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in PEOPLE_CSV.splitlines():
        sheet.append(line.replace('"Weiß, Anna"', "Weiß Anna").split(","))
    book.save(folder / "people.xlsx")
    return folder / "people.xlsx", "staff", QUICK_FLAGS


@pytest.mark.parametrize("make", [_mapping, _csv, _xlsx], ids=["mapping", "csv", "xlsx"])
def test_table_ingested_twice_is_unchanged(
    bench: Workbench,
    files: Path,
    state: Callable[[Workbench], StoreState],
    make: Callable[[Path], tuple[Path, str | None, dict[str, Any]]],
) -> None:
    path, dataset, flags = make(files)
    [first] = bench.ingest([path], dataset, **flags)
    before, rows, export = state(bench), statements(bench), list(bench.export())
    assert before.statements > 0

    [second] = bench.ingest([path], dataset, force=True, **flags)

    assert state(bench).timeless() == before.timeless()
    assert statements(bench) == rows
    assert list(bench.export()) == export
    assert (second.records, second.entity_ids) == (first.records, first.entity_ids)
    assert [s.records for s in bench.store.sources()] == [first.records]


def test_same_content_under_another_name_adds_no_statements(bench: Workbench, files: Path) -> None:
    # Provenance is the file's hash: a renamed copy is the same source.
    path, dataset, flags = _csv(files)
    bench.ingest([path], dataset, **flags)
    rows = statements(bench)
    copy = files / "people-copy.csv"
    copy.write_bytes(path.read_bytes())

    [skipped] = bench.ingest([copy], dataset, **flags)
    assert skipped.skipped  # the same bytes, made the same way: done already
    bench.ingest([copy], dataset, force=True, **flags)

    assert statements(bench) == rows
    assert [s.name for s in bench.store.sources()] == ["people-copy.csv"]
