"""Document entities: ids, provenance properties and text values, the same for every format."""

from __future__ import annotations

import mimetypes
from datetime import datetime
from functools import lru_cache

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.util import make_entity_id

from threadline.ingest.documents.blob import Blob

SUCCESS = "success"
FAILURE = "failure"
PARTIAL = "partial"  # read, but some of its pages could not be (each named in processingError)
AGENT = "threadline"


def document_id(blob: Blob, parent: EntityProxy | None) -> str:
    """A stable id: the content hash for a file, the path within its parent for a part.

    The same bytes given twice as files are one document (their names both kept); a
    part is the same part whenever its container is ingested again.
    """
    if parent is None:
        return make_entity_id("document", blob.sha256) or blob.sha256
    return make_entity_id(str(parent.id), blob.path, blob.sha256) or blob.sha256


def new_document(schema: str, blob: Blob, parent: EntityProxy | None, mime: str) -> EntityProxy:
    """A document entity with the blob's provenance: hash, size, name, path and type."""
    doc = model.make_entity(schema)
    doc.id = document_id(blob, parent)
    doc.add("contentHash", blob.sha256)
    doc.add("fileSize", blob.size)
    doc.add("fileName", blob.name)
    if blob.path and blob.path != blob.name:
        # The path inside the archive (or the folder given): a second name, so the
        # caption stays the plain file name.
        doc.add("fileName", blob.path)
    if blob.suffix:
        doc.add("extension", blob.suffix.lstrip("."))
    mime_type = _clean_mime(mime or guess_mime(blob.name))
    if mime_type is not None:
        doc.add("mimeType", mime_type, cleaned=True)
    doc.add("processingAgent", AGENT)
    if parent is not None:
        doc.add("parent", parent.id)
    return doc


@lru_cache(maxsize=256)
def _clean_mime(mime: str) -> str | None:
    """The mime type as followthemoney cleans it, once per type: its parser costs a
    millisecond, a tenth of a document of a few pages (issue 14)."""
    probe = model.make_entity("Document")
    probe.add("mimeType", mime)
    return probe.first("mimeType")


def guess_mime(name: str) -> str:
    """The mime type its name suggests, or the generic binary type."""
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def change_schema(doc: EntityProxy, schema: str) -> EntityProxy:
    """The same document under another schema (a failed Pages becomes a Document)."""
    other = model.make_entity(schema)
    other.id = doc.id
    for prop, value in doc.itervalues():
        if other.schema.get(prop.name) is not None:
            other.add(prop.name, value, cleaned=True)
    return other


def add_date(entity: EntityProxy, prop: str, value: object) -> None:
    """A metadata date (a datetime, or text followthemoney can read), if it is one."""
    if isinstance(value, datetime):
        value = value.isoformat(timespec="seconds")
    if isinstance(value, str) and value.strip():
        entity.add(prop, value.strip(), quiet=True)


def add_text(entity: EntityProxy, prop: str, text: str, max_chars: int) -> None:
    """Text as one value, or in parts of at most `max_chars` cut at white space."""
    text = text.strip()
    while len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        cut = cut if cut > max_chars // 2 else max_chars
        entity.add(prop, text[:cut])
        text = text[cut:].strip()
    if text:
        entity.add(prop, text)


def make_page(doc: EntityProxy, number: int, text: str, max_chars: int) -> EntityProxy:
    """Page `number` (from 1) of a Pages document, with its text."""
    page = model.make_entity("Page")
    page.id = make_entity_id(str(doc.id), "page", str(number))
    page.add("document", doc.id)
    page.add("index", number)
    add_text(page, "bodyText", text, max_chars)
    return page
