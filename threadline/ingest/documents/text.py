"""Plain text, Markdown and other text files, and RTF (striprtf): PlainText with body text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from followthemoney.proxy import EntityProxy

from threadline.errors import InputError
from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import add_text
from threadline.ingest.documents.limits import ExtractionFailed
from threadline.ingest.source import detect_encoding

if TYPE_CHECKING:
    from threadline.ingest.documents.extract import Extraction

_SAMPLE = 1 << 20


def decode(blob: Blob, data: bytes) -> tuple[str, str]:
    """The text of the bytes and the encoding it was read in (UTF-8, else detected)."""
    try:
        encoding = detect_encoding(Path(blob.path or blob.name), data[:_SAMPLE])
    except InputError as error:
        raise ExtractionFailed(error.message) from None
    return data.decode(encoding, errors="replace"), encoding


def extract(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """The file's text, decoded, as body text."""
    text, encoding = decode(blob, blob.read(ctx.limits))
    doc.add("encoding", encoding)
    add_text(doc, "bodyText", text, ctx.limits.max_text_chars)
    yield from ()


def extract_rtf(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """The text of an RTF document, its markup removed."""
    from striprtf.striprtf import rtf_to_text

    raw, _ = decode(blob, blob.read(ctx.limits))
    if not raw.lstrip().startswith("{\\rtf"):
        raise ExtractionFailed("is not an RTF document (it does not start with {\\rtf)")
    text: str = rtf_to_text(raw, errors="replace")  # type: ignore[no-untyped-call]  # striprtf is unannotated
    add_text(doc, "bodyText", text, ctx.limits.max_text_chars)
    yield from ()
