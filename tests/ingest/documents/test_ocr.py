"""OCR through the product: scans and images become searchable text, read once (cached by
image and languages), with a notice naming what is missing when they cannot be read."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from threadline.app.workbench import Workbench
from threadline.errors import InputError
from threadline.ingest.documents import ocr
from threadline.settings import Settings

from .makers import write
from .tesseract import ensure_tesseract

LINES = ["Invoice for consulting services", "Halcyon Crest Ltd 9900 EUR"]


@pytest.fixture(scope="module", autouse=True)
def tesseract() -> str:
    return ensure_tesseract()


def scan(lines: list[str], fmt: str) -> bytes:
    """A page of typed text as an image only: what a scanner makes."""
    image = Image.new("L", (1400, 120 + 100 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=48)
    for number, line in enumerate(lines):
        draw.text((40, 40 + 100 * number), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, fmt, resolution=150)
    return out.getvalue()


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Workbench]:
    with Workbench(Settings(workers=1), data_dir=tmp_path / "data") as workbench:
        yield workbench


def _documents(bench: Workbench, schema: str) -> list[dict[str, object]]:
    return [e for e in bench.export() if e["schema"] == schema]


def _values(entity: dict[str, object], prop: str) -> list[str]:
    props = entity["properties"]
    assert isinstance(props, dict)
    return list(props.get(prop, []))


def _text(entity: dict[str, object], prop: str) -> str:
    return " ".join(_values(entity, prop))


def test_a_scanned_pdf_page_is_read_and_found_by_search(bench: Workbench, tmp_path: Path) -> None:
    path = write(tmp_path / "in", "invoice.pdf", scan(LINES, "PDF"))
    [report] = bench.ingest([path], "leak")
    assert report.failed == [] and report.warnings == []
    [page] = _documents(bench, "Page")
    assert "consulting services" in _text(page, "bodyText").lower()
    [doc] = _documents(bench, "Pages")
    [agent] = [a for a in _values(doc, "processingAgent") if a != "threadline"]
    assert agent.startswith("tesseract 5") and agent.endswith("(eng)")
    hits = bench.search("consulting").hits
    assert [hit.id for hit in hits] == [page["id"]]


def test_an_image_is_read_once_then_from_the_cache(bench: Workbench, tmp_path: Path) -> None:
    data = scan(LINES, "PNG")
    bench.ingest([write(tmp_path / "a", "letter.png", data)], "leak")
    [image] = _documents(bench, "Image")
    assert "halcyon crest" in _text(image, "bodyText").lower()
    cached = list((bench.data_dir / "ocr").glob("*/*.txt"))
    assert len(cached) == 1
    # The same picture in another file (here a BMP) is not read again: it gets the
    # cached text (the key is the pixels and the languages, not the file's bytes).
    cached[0].write_text("Text from the cache", encoding="utf-8")
    bench.ingest([write(tmp_path / "b", "copy.bmp", scan(LINES, "BMP"))], "other")
    texts = sorted(_text(e, "bodyText") for e in _documents(bench, "Image"))
    assert len(texts) == 2 and "Text from the cache" in texts


def test_a_language_without_its_data_is_a_notice_naming_the_package(
    bench: Workbench, tmp_path: Path
) -> None:
    path = write(tmp_path / "in", "scan.png", scan(LINES[:1], "PNG"))
    [report] = bench.ingest([path], "leak", ocr_lang="eng+xyz")
    [notice] = report.warnings
    assert "no text layer and was not OCRed" in notice.message
    assert "tesseract-ocr-xyz" in notice.message
    assert _text(_documents(bench, "Image")[0], "bodyText") == ""


def test_bad_languages_are_refused_before_anything_is_read(
    bench: Workbench, tmp_path: Path
) -> None:
    path = write(tmp_path / "in", "scan.png", scan(LINES[:1], "PNG"))
    with pytest.raises(InputError, match="--ocr-lang"):
        bench.ingest([path], "leak", ocr_lang="eng; rm -rf /")
    assert not list(bench.export())


def test_ocr_off_keeps_the_scan_unread_with_a_notice(tmp_path: Path) -> None:
    settings = Settings(workers=1, ocr=False)
    with Workbench(settings, data_dir=tmp_path / "data") as bench:
        path = write(tmp_path / "in", "invoice.pdf", scan(LINES, "PDF"))
        [report] = bench.ingest([path], "leak")
        [notice] = report.warnings
        assert "page 1 has no text layer and was not OCRed: OCR is off" in notice.message
        assert not (tmp_path / "data" / "ocr").exists()


def test_without_the_tesseract_program_the_notice_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pytesseract

    ocr._tesseract.cache_clear()
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "missing"))
    try:
        image = Image.open(io.BytesIO(scan(LINES[:1], "PNG")))
        with pytest.raises(ocr.OcrUnavailable) as caught:
            ocr.read_image(image, ocr.OcrOptions())
        assert "tesseract program is missing" in str(caught.value)
        assert "pytesseract" in str(caught.value) and "tesseract-ocr" in str(caught.value)
    finally:
        ocr._tesseract.cache_clear()


def test_a_pixel_flood_is_refused_from_its_header(bench: Workbench, tmp_path: Path) -> None:
    flood = Image.new("1", (9_000, 9_000), 1)  # 81M pixels, over the 80M allowed
    out = io.BytesIO()
    flood.save(out, "PNG")
    [report] = bench.ingest([write(tmp_path / "in", "flood.png", out.getvalue())], "leak")
    [failed] = report.failed
    assert "9,000 x 9,000 pixels" in failed.message
