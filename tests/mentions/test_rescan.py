"""Mentions keep up: records ingested after the documents are looked for in them, for
their new names only, exactly as a full scan would find them, and never twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import entity, write_entities
from tests.mentions.conftest import reader, settings
from threadline.app.verbs import mentions as verbs
from threadline.app.verbs.mention_scan import WATERMARK
from threadline.app.workbench import Workbench
from threadline.mentions import MENTION

NOTE = (
    "Wire from Orrin Vantreight to Quillon Brakspear Holdings, ref HRB 99871.\n"
    "Copied: Orrin Vantreight, Talmadge Ferrowby.\n"
)


@pytest.fixture
def docs(tmp_path: Path) -> Iterator[Workbench]:
    """A store with one document in `leak` and no records yet."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.txt").write_text(NOTE)
    with Workbench(settings(), data_dir=tmp_path / "data") as bench:
        bench.ingest([folder], "leak")
        yield bench


def _records(bench: Workbench, name: str, rows: list[dict[str, Any]], dataset: str) -> None:
    path = write_entities(bench.data_dir.parent / f"{name}.ijson", rows)
    bench.ingest([path], dataset)


def _scans(bench: Workbench) -> list[str]:
    """The details of the scans after ingests, as audited."""
    return [
        e.detail
        for e in bench.accountability.events()
        if e.action == "find_mentions" and "after ingest" in e.detail
    ]


def _mention_ids(bench: Workbench) -> set[str]:
    return {r.id for rows in bench.store.iter_entities("leak") for r in rows if r.schema == MENTION}


def test_a_new_record_is_found_in_a_document_stored_before(docs: Workbench) -> None:
    assert _mention_ids(docs) == set()
    _records(docs, "r1", [entity("p-orr", "Person", name="Orrin Vantreight")], "registry")
    found = docs.mentions("p-orr")
    assert [(v.text, v.document_caption) for v in found] == [
        ("Orrin Vantreight", "note.txt"),
        ("Orrin Vantreight", "note.txt"),
    ]
    assert NOTE[found[0].start : found[0].end] == "Orrin Vantreight"
    [scan] = _scans(docs)
    assert "after ingest into registry: new values=1 " in scan
    assert "written=1" in scan
    # What the scan wrote is what a full scan finds: running one writes nothing.
    report = docs.find_mentions("leak")
    assert (report.mentions, report.written, report.removed) == (1, 0, 0)


def test_ingesting_again_looks_for_nothing_and_writes_nothing(docs: Workbench) -> None:
    rows = [entity("c-qui", "Company", name="Quillon Brakspear Holdings")]
    _records(docs, "r1", rows, "registry")
    before, statements = _mention_ids(docs), docs.store.count_statements()
    assert len(before) > 0
    _records(docs, "r1", rows, "registry")  # the same file again: no name is new
    _records(docs, "r1b", rows, "registry")  # the same record from another file
    assert _mention_ids(docs) == before
    assert docs.store.count_statements() == statements
    assert len(_scans(docs)) == 1  # only the first ingest had a name to look for


def test_only_the_new_names_are_looked_for(docs: Workbench) -> None:
    _records(docs, "r1", [entity("p-orr", "Person", name="Orrin Vantreight")], "registry")
    _records(
        docs,
        "r2",
        [entity("p-tal", "Person", name="Talmadge Ferrowby"), entity("p-x", "Person", name="Y Z")],
        "registry",
    )
    first, second = _scans(docs)
    assert "new values=1 " in first
    assert "new values=2 " in second  # the two new names, not Orrin Vantreight again
    assert [v.text for v in docs.mentions("p-tal")] == ["Talmadge Ferrowby"]
    assert len(docs.mentions("p-orr")) == 2  # still there, untouched


def test_a_name_shared_with_a_known_entity_counts_as_shared(docs: Workbench) -> None:
    _records(docs, "r1", [entity("p-orr", "Person", name="Orrin Vantreight")], "registry")
    [solo, _] = docs.mentions("p-orr")
    assert solo.confidence == 0.8
    _records(docs, "r2", [entity("p-orr2", "Person", name="Orrin Vantreight")], "other")
    # Two entities hold the name now: each mention is half as sure, as a full scan says.
    assert {v.confidence for v in docs.mentions("p-orr")} == {0.4}
    assert {v.confidence for v in docs.mentions("p-orr2")} == {0.4}
    report = docs.find_mentions("leak")
    assert (report.written, report.removed) == (0, 0)


def test_ingests_left_unscanned_are_caught_up(tmp_path: Path, docs: Workbench) -> None:
    off = settings().model_copy(update={"mentions_auto": False})
    with Workbench(off, data_dir=docs.data_dir) as quiet:
        _records(quiet, "r1", [entity("p-orr", "Person", name="Orrin Vantreight")], "registry")
        assert quiet.mentions("p-orr") == []
        assert _scans(quiet) == []
    # The next ingest into the dataset looks for every name it got since its last scan.
    _records(docs, "r2", [entity("p-tal", "Person", name="Talmadge Ferrowby")], "registry")
    [scan] = _scans(docs)
    assert "new values=2 " in scan
    assert len(docs.mentions("p-orr")) == 2
    assert len(docs.mentions("p-tal")) == 1


def test_new_documents_are_not_scanned_when_turned_off(tmp_path: Path) -> None:
    records = write_entities(
        tmp_path / "r.ijson", [entity("p-orr", "Person", name="Orrin Vantreight")]
    )
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.txt").write_text(NOTE)
    off = settings().model_copy(update={"mentions_auto": False})
    with Workbench(off, data_dir=tmp_path / "data") as bench:
        bench.ingest([records], "registry")
        bench.ingest([folder], "leak")
        assert bench.mentions("p-orr") == []
        assert bench.find_mentions("leak").written == 1


def test_a_lost_or_foreign_watermark_means_a_slower_scan_not_a_lost_mention(
    docs: Workbench,
) -> None:
    _records(docs, "r1", [entity("p-orr", "Person", name="Orrin Vantreight")], "registry")
    (docs.data_dir / WATERMARK).write_text("{not json")
    _records(docs, "r2", [entity("p-tal", "Person", name="Talmadge Ferrowby")], "registry")
    # Without a watermark every name of the dataset is looked for again: nothing lost,
    # nothing doubled.
    assert "new values=2 " in _scans(docs)[-1]
    assert len(docs.mentions("p-orr")) == 2
    assert len(docs.mentions("p-tal")) == 1
    assert docs.find_mentions("leak").written == 0


def test_a_scan_after_someone_elses_ingest_keeps_what_they_cannot_read(
    docs: Workbench,
) -> None:
    _records(docs, "r1", [entity("p-orr", "Person", name="Orrin Vantreight")], "secret")
    assert len(docs.mentions("p-orr")) == 2
    ada = reader(docs, "ada", "leak")
    docs.accountability.access.grant("ada", "leak", "write")
    _records(ada, "r2", [entity("p-tal", "Person", name="Talmadge Ferrowby")], "registry")
    [tal] = [rows[0].entity_id for rows in docs.store.iter_entities("registry")]  # signed id
    assert len(docs.mentions(tal)) == 1  # ada's scan found her record's name ...
    assert len(docs.mentions("p-orr")) == 2  # ... and kept the one she cannot read


def test_a_name_too_common_stays_too_common(docs: Workbench) -> None:
    many = [entity(f"p-o{i}", "Person", name="Orrin Vantreight") for i in range(11)]
    _records(docs, "r1", many, "registry")  # eleven holders: not evidence for any
    assert all(docs.mentions(f"p-o{i}") == [] for i in range(11))
    new = entity("p-new", "Person", name="Orrin Vantreight", alias="Talmadge Ferrowby")
    _records(docs, "r2", [new], "other")
    # The document is read again for its new alias; the shared name is still too common.
    assert [v.text for v in docs.mentions("p-new")] == ["Talmadge Ferrowby"]
    report = docs.find_mentions("leak")
    assert (report.written, report.removed) == (0, 0)


def test_a_new_dataset_of_documents_is_marked_as_scanned_for_every_name(tmp_path: Path) -> None:
    records = write_entities(
        tmp_path / "r.ijson", [entity("p-orr", "Person", name="Orrin Vantreight")]
    )
    first, second = tmp_path / "one", tmp_path / "two"
    for folder in (first, second):
        folder.mkdir()
        (folder / f"{folder.name}.txt").write_text(NOTE + folder.name)
    with Workbench(settings(), data_dir=tmp_path / "data") as bench:
        bench.ingest([records], "registry")
        bench.ingest([first], "leak")
        path = bench.data_dir / WATERMARK
        marked = json.loads(path.read_text())["scanned"]["leak"]["registry"]
        assert marked["ingests"] == 1  # the one ingest into registry is covered
        bench.ingest([second], "leak")  # not every document of leak is new: no mark
        assert json.loads(path.read_text())["scanned"]["leak"]["registry"] == marked
        assert len({v.document_id for v in bench.mentions("p-orr")}) == 2  # both documents


def test_a_large_store_leaves_the_stored_documents_to_a_later_scan(
    docs: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verbs, "AUTO_LIMIT", 0)  # every store is "large"
    path = write_entities(
        docs.data_dir.parent / "r1.ijson", [entity("p-orr", "Person", name="Orrin Vantreight")]
    )
    [report] = docs.ingest([path], "registry")
    assert "run `threadline find-mentions --dataset leak`" in str(report.warnings[0])
    assert docs.mentions("p-orr") == []
    monkeypatch.undo()
    # The next ingest into registry catches up with the one left unscanned.
    _records(docs, "r2", [entity("p-tal", "Person", name="Talmadge Ferrowby")], "registry")
    assert len(docs.mentions("p-orr")) == 2
    assert len(docs.mentions("p-tal")) == 1


def test_records_from_a_table_are_looked_for_too(docs: Workbench) -> None:
    table = docs.data_dir.parent / "people.csv"
    table.write_text("id,name\nt1,Talmadge Ferrowby\n")
    docs.ingest([table], "registry", schema="Person", maps={"name": "name"}, keys=["id"])
    [view] = [
        v for rows in docs.store.iter_entities("registry") for v in docs.mentions(rows[0].entity_id)
    ]
    assert view.text == "Talmadge Ferrowby"
