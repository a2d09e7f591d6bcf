"""A page whose scan cannot be read (libtesseract out of memory, or any OCR error)
fails alone (issue 14): the document keeps its other pages, is `partial`, names the
page in its processingError, and is listed by `failures`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import open_bench
from threadline.ingest.documents import extract
from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.extract import Extraction
from threadline.ingest.documents.ocr import OcrOptions
from threadline.ingest.limits import MIB, Limits

from .conftest import PoolWith
from .failing_ocr import ocr_aborts, ocr_out_of_memory, out_of_memory
from .makers import pdf_bytes, write

# The middle page has no text layer: a scan, which OCR is asked to read.
PAGES = ["Invoice from Halcyon Crest Ltd", "", "Paid to Marlow Bank"]
MESSAGE = "page 2: reading its scan by OCR ran out of memory"


def test_a_page_ocr_cannot_read_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extract, "read_image", out_of_memory)
    path = write(tmp_path, "mixed.pdf", pdf_bytes(PAGES))
    ctx = Extraction(str(path), ocr=OcrOptions(cache=None))
    entities = list(ctx.document(Blob(path.name, path.name, path)))
    pages = {
        int(e.first("index") or 0): e.get("bodyText") for e in entities if e.schema.name == "Page"
    }
    assert pages == {1: [PAGES[0]], 2: [], 3: [PAGES[2]]}
    [doc] = [e for e in entities if e.schema.name == "Pages"]
    assert doc.get("processingStatus") == ["partial"]
    [error] = doc.get("processingError")
    assert error.startswith(MESSAGE)
    assert [(p.where, p.message) for p in ctx.failures] == [(str(path), error)]
    assert ctx.out_of_memory  # the process that ran out is not given another file


@pytest.mark.slow  # a child process on a loaded machine takes seconds
def test_in_a_child_the_file_is_stored_partial_and_listed(
    tmp_path: Path, pool_with: PoolWith
) -> None:
    pool_with(ocr_out_of_memory)
    path = write(tmp_path / "in", "mixed.pdf", pdf_bytes(PAGES))
    with open_bench(tmp_path / "data") as bench:
        [report] = bench.ingest([path], "leak")
        allowed = Limits().max_worker_memory_bytes // MIB
        assert [e.message for e in report.failed] == [
            f"{MESSAGE} (more than the {allowed:,} MiB allowed)"
        ]
        assert report.pages == 3
        [listed] = bench.failures()
        assert listed.status == "partial"
        assert listed.errors == [report.failed[0].message]
        assert listed.file_names == ["mixed.pdf"]
        assert [hit.id for hit in bench.search("Marlow").hits]  # the page after it is kept


@pytest.mark.slow  # child processes on a loaded machine take seconds
def test_a_page_whose_ocr_kills_the_process_fails_alone(
    tmp_path: Path, pool_with: PoolWith
) -> None:
    pool_with(ocr_aborts)
    path = write(tmp_path / "in", "mixed.pdf", pdf_bytes(PAGES))
    with open_bench(tmp_path / "data") as bench:
        [report] = bench.ingest([path], "leak")
        [failed] = report.failed
        assert failed.message.startswith("page 2: reading its scan by OCR failed: ")
        assert "signal 6" in failed.message  # SIGABRT, as the process ended
        assert report.pages == 3  # each page once: those read before the retry not again
        [listed] = bench.failures()
        assert (listed.status, listed.errors) == ("partial", [failed.message])
        pages = [e for e in bench.export() if e["schema"] == "Page"]
        assert sorted(p["properties"]["index"][0] for p in pages) == ["1", "2", "3"]
        assert [hit.id for hit in bench.search("Marlow").hits]
