"""HTML pages (lxml): HyperText with the title and the visible text, scripts and styles left out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import lxml.html
from followthemoney.proxy import EntityProxy

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import add_text
from threadline.ingest.documents.limits import ExtractionFailed
from threadline.ingest.documents.text import decode

if TYPE_CHECKING:
    from threadline.ingest.documents.extract import Extraction


def html_text(markup: str) -> tuple[str | None, str]:
    """The title and the visible text of an HTML page."""
    if not markup.strip():
        return None, ""
    # No network and no external entities: lxml's HTML parser fetches nothing.
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True)
    root = lxml.html.document_fromstring(markup, parser=parser)
    for node in root.xpath("//script|//style|//noscript|//template"):
        node.drop_tree()
    title = root.findtext(".//title")
    for block in root.xpath("//p|//div|//br|//li|//tr|//h1|//h2|//h3|//h4|//h5|//h6"):
        block.tail = "\n" + (block.tail or "")
    body = root.find("body")
    content = (body if body is not None else root).text_content()
    text = "\n".join(line.strip() for line in content.splitlines())
    return (title.strip() if title and title.strip() else None), text


def extract(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """The page's title and text."""
    markup, encoding = decode(blob, blob.read(ctx.limits))
    doc.add("encoding", encoding)
    try:
        title, text = html_text(markup)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ExtractionFailed(f"is not readable HTML ({exc})") from None
    if title:
        doc.add("title", title)
    add_text(doc, "bodyText", text, ctx.limits.max_text_chars)
    yield from ()
