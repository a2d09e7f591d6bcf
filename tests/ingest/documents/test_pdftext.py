"""A PDF page's text read through pdfium's C functions is the text pypdfium2's page
objects give, to the character (the page text of EXTRACTOR_VERSION 3)."""

from __future__ import annotations

import pypdfium2
import pytest

from tests.ingest.documents.makers import pdf_bytes
from threadline.demo.pdf import pdf_document, serialise
from threadline.ingest.documents.pdfium import LOCK
from threadline.ingest.documents.pdftext import page_text

# A page whose font maps "A" to U+1F600 (two UTF-16 units: the exact, slower path).
_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <00> <FF> endcodespacerange
2 beginbfchar <41> <D83DDE00> <42> <0042> endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end"""
_CONTENT = b"BT /F1 24 Tf 72 700 Td (ABAB) Tj ET"


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _astral_pdf() -> bytes:
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
    )
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page,
        font,
        _stream(_CONTENT),
        _stream(_CMAP),
    ]
    return serialise(objects, b"", version="1.7")


def _as_pypdfium2(pdf: pypdfium2.PdfDocument, index: int) -> str:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_bounded())
        finally:
            textpage.close()
    finally:
        page.close()


CASES = {
    "one line": pdf_bytes(["consulting services for Halcyon Crest"]),
    "no text layer": pdf_bytes(["", "after a scan"]),
    "accents and signs": pdf_bytes(["Zürich, São Paulo, Ørsted: 12,50 € · «quoted» \u2013 dash"]),
    "many lines": pdf_document([[f"line {n} of the ledger, amount {n * 37:,}" for n in range(60)]]),
    "beyond the BMP": _astral_pdf(),
}


@pytest.mark.parametrize("name", list(CASES))
def test_page_text_is_pypdfium2s_bounded_text(name: str) -> None:
    with LOCK:
        pdf = pypdfium2.PdfDocument(CASES[name])
        try:
            for index in range(len(pdf)):
                assert page_text(pdf, index) == _as_pypdfium2(pdf, index)
        finally:
            pdf.close()


def test_text_beyond_the_bmp_is_kept() -> None:
    with LOCK:
        pdf = pypdfium2.PdfDocument(_astral_pdf())
        try:
            assert page_text(pdf, 0) == "\U0001f600B\U0001f600B"
        finally:
            pdf.close()


def test_a_page_that_is_not_there_raises_pdfiums_error() -> None:
    with LOCK:
        pdf = pypdfium2.PdfDocument(pdf_bytes(["one page"]))
        try:
            with pytest.raises(pypdfium2.PdfiumError):
                page_text(pdf, 5)
        finally:
            pdf.close()
