"""Office Open XML: DOCX (python-docx) as PlainText, PPTX (python-pptx) as Pages with a
page per slide, XLSX (openpyxl, read only) as a Workbook with the text of its cells.

Every one is a zip: its declared sizes are checked (zip-bomb limits) before a
library inflates it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from followthemoney.proxy import EntityProxy

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import add_date, add_text, make_page
from threadline.ingest.documents.limits import TooLarge
from threadline.ingest.documents.ziplimits import check_zip

if TYPE_CHECKING:
    from threadline.ingest.documents.extract import Extraction

_MAX_CELLS = 5_000_000


def _core(doc: EntityProxy, props: Any) -> None:
    """Title, author and dates from the package's core properties."""
    # python-docx and python-pptx say `author`, openpyxl says `creator`.
    author = getattr(props, "author", None) or getattr(props, "creator", None)
    for prop, value in (
        ("title", props.title),
        ("author", author),
        ("summary", props.subject),
        ("keywords", props.keywords),
    ):
        if isinstance(value, str) and value.strip():
            doc.add(prop, value.strip())
    add_date(doc, "authoredAt", props.created)
    add_date(doc, "modifiedAt", props.modified)


def extract_docx(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """The paragraphs and table cells of a Word document, in order, as its body text."""
    import docx

    data = blob.read(ctx.limits)
    check_zip(data, ctx.limits)
    document = docx.Document(io.BytesIO(data))
    _core(doc, document.core_properties)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    add_text(doc, "bodyText", "\n".join(lines), ctx.limits.max_text_chars)
    yield from ()


def extract_pptx(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """A page per slide: its shapes' text, tables and speaker notes."""
    import pptx

    data = blob.read(ctx.limits)
    check_zip(data, ctx.limits)
    deck = pptx.Presentation(io.BytesIO(data))
    _core(doc, deck.core_properties)
    slides = list(deck.slides)
    if len(slides) > ctx.limits.max_pages:
        raise TooLarge(
            f"has {len(slides):,} slides, more than the {ctx.limits.max_pages:,} allowed"
        )
    for number, slide in enumerate(slides, start=1):
        ctx.check_time()
        lines: list[str] = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    lines.append("\t".join(cell.text for cell in row.cells))
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            lines.append(slide.notes_slide.notes_text_frame.text)
        yield make_page(doc, number, "\n".join(lines), ctx.limits.max_text_chars)


def extract_xlsx(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """The text of every cell, a line per row and a block per sheet, as body text.

    A spreadsheet given as a record source (`--schema` and `--map`, or a mapping)
    becomes entities instead; in a folder of documents, it is a document like others.
    """
    import openpyxl

    data = blob.read(ctx.limits)
    check_zip(data, ctx.limits)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        _core(doc, book.properties)
        blocks: list[str] = []
        cells = 0
        for sheet in book.worksheets:
            ctx.check_time()
            rows = [sheet.title]
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > _MAX_CELLS:
                    raise TooLarge(f"has more than {_MAX_CELLS:,} cells, the most allowed")
                values = [str(v) for v in row if v is not None]
                if values:
                    rows.append("\t".join(values))
            blocks.append("\n".join(rows))
        add_text(doc, "bodyText", "\n\n".join(blocks), ctx.limits.max_text_chars)
    finally:
        book.close()
    yield from ()
