"""Page images: one page of a kept PDF drawn as a PNG on the server, cached on disk.

The browser never gets the PDF to draw (no PDF.js, no plugin in the app's origin):
it gets pixels. The long side is at most `MAX_SIDE` pixels whatever the page's size,
so a page the size of a wall cannot make a picture that fills the memory. Rendered
pages are kept under the data directory by file hash, page and scale, so a page is
drawn once.
"""

from __future__ import annotations

import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from PIL import Image

from threadline.errors import InputError, NotFoundError
from threadline.ingest.documents.pdfium import LOCK

MAX_SIDE = 1600  # pixels, on the long side
MAX_SCALE = 4.0  # a tiny page is not blown up past 288 dpi
FOLDER = "page-images"  # under the data directory; erasure deletes it
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class PageImage:
    """A page drawn: the PNG bytes, and the page count of its document."""

    png: bytes
    page: int
    pages: int


def is_pdf(path: Path) -> bool:
    """Whether the file starts as a PDF does (its name and type are only claims)."""
    with path.open("rb") as fh:
        return fh.read(1024).lstrip().startswith(PDF_MAGIC)


def scale_for(width: float, height: float, max_side: int = MAX_SIDE) -> float:
    """The scale (pixels per point) that makes the long side at most `max_side`."""
    longest = max(float(width), float(height), 1.0)
    return min(MAX_SCALE, max_side / longest)


def page_image(
    pdf: Path, sha256: str, page: int, cache: Path, label: str, max_side: int = MAX_SIDE
) -> PageImage:
    """Page `page` (from 1) of the PDF kept at `pdf` as a PNG; `label` names the
    document in errors. A page the document does not have is refused."""
    if not is_pdf(pdf):
        raise InputError(label, "is not a PDF: only PDF pages are drawn as images")
    with LOCK:  # pdfium is not thread-safe: a server draws pages in several threads
        image, count, cached = _draw(pdf, sha256, page, cache, label, max_side)
    if image is None:
        return PageImage(cached.read_bytes(), page, count)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    png = buffer.getvalue()
    _store(cached, png)
    return PageImage(png, page, count)


def _draw(
    pdf: Path, sha256: str, page: int, cache: Path, label: str, max_side: int
) -> tuple[Image.Image | None, int, Path]:
    """Under the pdfium lock: the page drawn (None when its PNG is cached), the
    document's page count, and the cache path."""
    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as exc:
        raise InputError(label, f"the PDF cannot be opened to draw it ({exc})") from None
    try:
        count = len(document)
        if not 1 <= page <= count:
            raise NotFoundError(
                f"{label} has {count} page{'s' if count != 1 else ''}: there is no page {page}"
            )
        handle = document[page - 1]
        try:
            width, height = handle.get_size()
            scale = scale_for(width, height, max_side)
            cached = cache / sha256[:2] / f"{sha256}-p{page}-s{scale:.4f}.png"
            if cached.is_file():
                return None, count, cached
            bitmap = handle.render(scale=scale)
            try:
                return bitmap.to_pil().copy(), count, cached  # a copy: the bitmap closes
            finally:
                bitmap.close()
        finally:
            handle.close()
    finally:
        document.close()


def _store(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (a reader never sees half a PNG)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    try:
        staged.write_bytes(data)
        os.replace(staged, path)
    finally:
        staged.unlink(missing_ok=True)
