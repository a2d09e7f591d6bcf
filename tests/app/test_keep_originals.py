"""The `keep_originals` switch: off, ingest copies no file into the data directory,
the document keeps its text, and asking for its file or a page says why it cannot
be had. On (the default), the same file is kept and handed back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.documents.makers import pdf_bytes, write
from threadline.app.originals import FOLDER
from threadline.app.workbench import Workbench
from threadline.errors import NotFoundError
from threadline.settings import Settings


def _ingest(tmp_path: Path, keep: bool) -> tuple[Workbench, str, bytes]:
    data = pdf_bytes(["Cover", "Transfer to Halcyon Crest"])
    folder = write(tmp_path / "leak", "ledger.pdf", data).parent
    settings = Settings(data_dir=tmp_path / "data", workers=1, keep_originals=keep)
    bench = Workbench(settings)
    bench.ingest([folder], "leak")
    doc = next(
        rows[0].entity_id
        for rows in bench.store.iter_entities("leak")
        if any(r.prop == "fileName" for r in rows)
    )
    return bench, doc, data


def test_off_keeps_no_copy_and_says_why(tmp_path: Path) -> None:
    bench, doc, _ = _ingest(tmp_path, keep=False)
    with bench:
        kept = tmp_path / "data" / FOLDER
        assert not kept.exists() or not any(p.is_file() for p in kept.rglob("*"))
        view = bench.document_view(doc)
        assert [p.number for p in view.pages] == [1, 2]
        assert not view.kept and not view.drawable
        for ask in (lambda: bench.document_file(doc), lambda: bench.document_page(doc, 1)):
            with pytest.raises(NotFoundError, match="keep_originals setting is off"):
                ask()


def test_on_keeps_the_file_byte_for_byte(tmp_path: Path) -> None:
    bench, doc, data = _ingest(tmp_path, keep=True)
    with bench:
        found = bench.document_file(doc)
        assert found.path.read_bytes() == data
        assert bench.document_view(doc).drawable
