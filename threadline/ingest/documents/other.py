"""Images (their text read by OCR where Tesseract is installed), legacy Office files
(OLE: .doc, .xls, .ppt, which threadline cannot read yet), and anything else
(kept with hash, size and type)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from followthemoney.proxy import EntityProxy
from PIL import Image, ImageSequence, UnidentifiedImageError

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import add_text
from threadline.ingest.documents.limits import ExtractionFailed, TooLarge
from threadline.ingest.documents.ocr import MAX_PIXELS, agent, no_text_notice

if TYPE_CHECKING:
    from threadline.ingest.documents.extract import Extraction


def extract(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """An opaque file: its provenance only (set by the caller)."""
    yield from ()


# Frames of one image file read by OCR (a multi-page TIFF scan), and its pixels: the
# size is checked from the header, before any pixel is decoded (a pixel flood).
MAX_FRAMES = 500
MAX_IMAGE_PIXELS = 2 * MAX_PIXELS  # under Pillow's own warning (89M pixels)


def extract_image(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """An image: its text as OCR reads it (every frame of a multi-page scan), or a
    notice saying why it was not read."""
    data = blob.read(ctx.limits)
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise TooLarge(f"is too many pixels to read ({exc})") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise ExtractionFailed(f"is not a readable image ({exc})") from None
    with image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise TooLarge(
                f"is {image.width:,} x {image.height:,} pixels, more than the "
                f"{MAX_IMAGE_PIXELS:,} allowed"
            )
        texts: list[str] = []
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if number > MAX_FRAMES:
                raise TooLarge(f"has more than {MAX_FRAMES} frames, the most allowed")
            text = ctx.read_scan(frame.copy())
            if text is None:
                ctx.notice(blob, doc, no_text_notice("the image", ctx.ocr_missing))
                return
            texts.append(text.strip())
    if ctx.ocr is not None:
        doc.add("processingAgent", agent(ctx.ocr))
    add_text(doc, "bodyText", "\n\n".join(t for t in texts if t), ctx.limits.max_text_chars)
    yield from ()


def extract_legacy(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """A legacy Office file: listed as a failure, so no one believes its text was searched."""
    raise ExtractionFailed(
        "is a legacy Office file (OLE: .doc, .xls or .ppt), which threadline cannot "
        "read yet; convert it to .docx, .xlsx, .pptx or .eml"
    )
    yield  # a generator, like every extractor
