"""A document file done by an older extractor is extracted again; one done by this
extractor is skipped (`documents.plan.EXTRACTOR_VERSION`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from threadline.app.workbench import Workbench
from threadline.ingest.documents.plan import DOCUMENT_KIND, EXTRACTOR_VERSION
from threadline.ingest.resume import Done
from threadline.model.provenance import SourceInfo
from threadline.settings import Settings

from .makers import pdf_bytes, write


def _bench(data_dir: Path) -> Workbench:
    return Workbench(Settings(store="sqlite", store_url=None, search="tantivy"), data_dir=data_dir)


def _source(kind: str) -> SourceInfo:
    return SourceInfo(
        sha256="a" * 64, dataset="leak", name="a.pdf", size=1, kind=kind, ingested_at="x"
    )


def test_the_kind_names_the_extractor_version() -> None:
    assert f"documents-v{EXTRACTOR_VERSION}" == DOCUMENT_KIND
    older = Done.of([_source(f"documents-v{EXTRACTOR_VERSION - 1}")])
    current = Done.of([_source(DOCUMENT_KIND)])
    assert older.documents == set()
    assert current.documents == {("a" * 64, "leak")}


def _done_by_an_older_extractor(tmp_path: Path) -> tuple[Path, Path]:
    """A PDF ingested, then its source row made to say an older extractor did it."""
    path = write(tmp_path / "leak", "a.pdf", pdf_bytes(["The offshore ledger"]))
    data = tmp_path / "data"
    with _bench(data) as bench:
        (first,) = bench.ingest([path], "leak")
        assert not first.skipped
        (again,) = bench.ingest([path], "leak")
        assert again.skipped  # this extractor did it
    # As a store written before the extractor changed would hold it.
    older = f"documents-v{EXTRACTOR_VERSION - 1}"
    with sqlite3.connect(data / "store.sqlite3") as conn:
        changed = conn.execute("UPDATE sources SET kind = ?", (older,)).rowcount
    assert changed == 1
    return path, data


def test_a_file_done_by_an_older_extractor_is_extracted_again(tmp_path: Path) -> None:
    path, data = _done_by_an_older_extractor(tmp_path)
    with _bench(data) as bench:
        (redone,) = bench.ingest([path], "leak")
        assert not redone.skipped
        assert redone.kind == DOCUMENT_KIND
        assert [h.caption for h in bench.search("ledger").hits] == ["a.pdf, page 1"]


def test_a_file_extracted_again_is_then_skipped(tmp_path: Path) -> None:
    path, data = _done_by_an_older_extractor(tmp_path)
    with _bench(data) as bench:
        bench.ingest([path], "leak")
        assert {s.kind for s in bench.store.sources()} == {DOCUMENT_KIND}
        (third,) = bench.ingest([path], "leak")
        assert third.skipped
