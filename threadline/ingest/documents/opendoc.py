"""OpenDocument text (ODT, as PlainText) and presentations (ODP, as Pages, a page per
slide), read from the zip with defusedxml: no entity expansion, no external DTDs."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from defusedxml import ElementTree
from followthemoney.proxy import EntityProxy

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import add_date, add_text, make_page
from threadline.ingest.documents.limits import ExtractionFailed, TooLarge
from threadline.ingest.documents.ziplimits import check_members

if TYPE_CHECKING:
    from threadline.ingest.documents.extract import Extraction

_NS = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_BLOCKS = {f"{{{_NS['text']}}}p", f"{{{_NS['text']}}}h"}


def extract(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """The text of an ODT, or a page per slide of an ODP, and the metadata."""
    data = blob.read(ctx.limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ExtractionFailed(f"is not an OpenDocument file (not a zip: {exc})") from None
    with archive:
        check_members(archive.infolist(), ctx.limits)
        names = set(archive.namelist())
        if "content.xml" not in names:
            raise ExtractionFailed("is not an OpenDocument file (no content.xml)")
        if "meta.xml" in names:
            _metadata(doc, ElementTree.fromstring(archive.read("meta.xml")))
        root = ElementTree.fromstring(archive.read("content.xml"))
    body = root.find("office:body", _NS)
    if body is None:
        raise ExtractionFailed("has no document body")
    if doc.schema.name != "Pages":
        add_text(doc, "bodyText", "\n".join(_blocks(body)), ctx.limits.max_text_chars)
        return
    slides = body.findall(".//draw:page", _NS)
    if len(slides) > ctx.limits.max_pages:
        raise TooLarge(
            f"has {len(slides):,} slides, more than the {ctx.limits.max_pages:,} allowed"
        )
    for number, slide in enumerate(slides, start=1):
        ctx.check_time()
        yield make_page(doc, number, "\n".join(_blocks(slide)), ctx.limits.max_text_chars)


def _blocks(element: Any) -> Iterator[str]:
    """The text of each paragraph and heading, in document order."""
    for node in element.iter():
        if node.tag in _BLOCKS:
            yield "".join(node.itertext())


def _metadata(doc: EntityProxy, meta: Any) -> None:
    for prop, path in (
        ("title", ".//dc:title"),
        ("author", ".//meta:initial-creator"),
        ("author", ".//dc:creator"),
        ("summary", ".//dc:subject"),
    ):
        node = meta.find(path, _NS)
        if node is not None and node.text and node.text.strip():
            doc.add(prop, node.text.strip())
    for prop, path in (("authoredAt", ".//meta:creation-date"), ("modifiedAt", ".//dc:date")):
        node = meta.find(path, _NS)
        if node is not None and node.text:
            add_date(doc, prop, node.text)
