"""The text layer of one PDF page, read through pdfium's C functions.

pypdfium2's page and text-page objects cost more than the text: each registers a
finalizer and a weak reference with its parent, and `get_text_bounded` asks pdfium
for the whole page's text twice (once for its length). At a few thousand characters
a page that was a third of the CPU of extracting a text PDF (0.45 ms of 1.7 ms a page,
issue 14). Here the page is loaded, read once into a buffer large enough for the
usual page, and closed, with the same pdfium calls, so the text is the same to the
character as `PdfPage.get_textpage().get_text_bounded()` gives (tested).

Callers hold `pdfium.LOCK`.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c

# UTF-16 units allowed per character pdfium counts on the page, plus some: the text
# by area adds line breaks between lines that are not characters of the page.
_ROOM_PER_CHAR = 2
_ROOM_EXTRA = 64


def page_text(pdf: Any, index: int) -> str:
    """The text of page `index` (from 0) of an open `PdfDocument`, within its bounding
    box, as pypdfium2's `get_text_bounded()` reads it ("" when it has none)."""
    page = pdfium_c.FPDF_LoadPage(pdf.raw, index)
    if not page:
        raise pypdfium2.PdfiumError("Failed to load page.")
    try:
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            raise pypdfium2.PdfiumError("Failed to load text page.")
        try:
            return _bounded(page, textpage)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
    finally:
        pdfium_c.FPDF_ClosePage(page)


def _bounded(page: Any, textpage: Any) -> str:
    box = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDF_GetPageBoundingBox(page, box):
        raise pypdfium2.PdfiumError("Failed to get page bounding box.")
    args = (textpage, box.left, box.top, box.right, box.bottom)
    room = _ROOM_PER_CHAR * max(0, pdfium_c.FPDFText_CountChars(textpage)) + _ROOM_EXTRA
    buffer = (ctypes.c_ushort * room)()
    size = pdfium_c.FPDFText_GetBoundedText(*args, buffer, room)
    if size <= 0:
        return ""
    # pdfium copies the text with its terminating NUL (never a character of the
    # text: pdfium skips those), which pypdfium2's buffer, one unit a character, cuts.
    units = size - 1 if buffer[size - 1] == 0 else size
    text = ctypes.string_at(buffer, 2 * units).decode("utf-16-le", errors="ignore")
    if size < room and len(text) == units:
        return text  # all of it, one character a unit
    # Longer than the buffer, or characters beyond the BMP (two units each), whose
    # count pypdfium2 sizes its buffer by: read it exactly as it does.
    return _as_pypdfium2(args)


def _as_pypdfium2(args: tuple[Any, ...]) -> str:
    """`PdfTextPage.get_text_bounded` (pypdfium2 5.x): the length, then the text in a
    buffer of that many units."""
    count = pdfium_c.FPDFText_GetBoundedText(*args, None, 0)
    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * count)()
    pdfium_c.FPDFText_GetBoundedText(*args, buffer, count)
    return ctypes.string_at(buffer, 2 * count).decode("utf-16-le", errors="ignore")
