"""Files whose text threadline cannot read: images (no OCR yet), legacy Office files
(OLE: .doc, .xls, .ppt, .msg), and anything else (kept with hash, size and type)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from followthemoney.proxy import EntityProxy

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.limits import ExtractionFailed
from threadline.ingest.documents.ocr import no_text_notice

if TYPE_CHECKING:
    from threadline.ingest.documents.extract import Extraction


def extract(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """An opaque file: its provenance only (set by the caller)."""
    yield from ()


def extract_image(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """An image: kept, with a notice that its text (if any) needs OCR."""
    ctx.notice(blob, doc, no_text_notice("the image"))
    yield from ()


def extract_legacy(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """A legacy Office file: listed as a failure, so no one believes its text was searched."""
    raise ExtractionFailed(
        "is a legacy Office file (OLE: .doc, .xls, .ppt or .msg), which threadline cannot "
        "read yet; convert it to .docx, .xlsx, .pptx or .eml"
    )
    yield  # a generator, like every extractor
