"""PDF: text per page and metadata (title, author, dates) with pypdfium2.

Each page becomes a `Page` entity (its number in `index`, its text in `bodyText`);
the `Pages` document holds the metadata and no text of its own, so a search hit
names the page. A page with no text layer (a scan) is rendered and read by OCR
(`documents.ocr`) when Tesseract is installed; otherwise, and for pages OCR finds no
text on, the document carries a notice naming the pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pypdfium2
from followthemoney.proxy import EntityProxy

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import add_date, make_page
from threadline.ingest.documents.extract import reason
from threadline.ingest.documents.limits import ExtractionFailed, TooLarge
from threadline.ingest.documents.ocr import DPI, MAX_PIXELS, agent, no_text_notice
from threadline.ingest.documents.pdfium import LOCK
from threadline.ingest.documents.pdftext import page_text
from threadline.ingest.limits import MIB

if TYPE_CHECKING:
    from threadline.ingest.documents.extract import Extraction


def extract(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """The pages of a PDF, and its metadata on `doc`."""
    data = blob.read(ctx.limits)
    try:
        with LOCK:
            pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise ExtractionFailed(f"is not a readable PDF ({exc})") from None
    try:
        with LOCK:
            count = len(pdf)
        if count > ctx.limits.max_pages:
            raise TooLarge(f"has {count:,} pages, more than the {ctx.limits.max_pages:,} allowed")
        _metadata(doc, pdf)
        unread: list[int] = []  # scans OCR could not read
        blank: list[int] = []  # scans OCR read and found no text on
        scanned = 0
        for number in range(1, count + 1):
            ctx.check_time()
            try:
                text, scan = _page_text(ctx, doc, pdf, number)
            except _PageFailed as exc:  # this page only: the document goes on
                ctx.page_failed(blob, doc, f"page {number}: {exc}")
                yield make_page(doc, number, "", ctx.limits.max_text_chars)
                continue
            if text is None:
                unread.append(number)
            elif scan:
                scanned += 1
                if not text.strip():
                    blank.append(number)
            yield make_page(doc, number, text or "", ctx.limits.max_text_chars)
        if unread:
            ctx.notice(blob, doc, no_text_notice(_pages(unread), ctx.ocr_missing))
        if blank:
            ctx.notice(blob, doc, f"{_pages(blank)}: no text layer, and OCR read no text")
        if scanned and ctx.ocr is not None:
            doc.add("processingAgent", agent(ctx.ocr))
    finally:
        with LOCK:
            pdf.close()


class _PageFailed(Exception):
    """One page could not be read (its scan, by OCR); the message says why."""


def _page_text(ctx: Extraction, doc: EntityProxy, pdf: Any, number: int) -> tuple[str | None, bool]:
    """Page `number`'s text layer, else what OCR reads on it (None if it could not),
    and whether it was read by OCR. Raises `_PageFailed` if rendering or reading the
    scan failed (out of memory, Tesseract's error, or it ended the extraction process
    before): that page, not the document, fails."""
    with LOCK:
        text = page_text(pdf, number - 1)
    if text.strip():
        return text, False
    failed = ctx.failed_scans.get((str(doc.id), number))
    if failed is not None:
        raise _PageFailed(failed)
    if ctx.on_scan is not None:
        ctx.on_scan(doc, number)
    try:
        return _read_scan(ctx, pdf, number - 1), True
    except ExtractionFailed:
        raise  # the file's time is up: the document stops here
    except MemoryError:
        # Freed as the exception unwinds; the process exits after this file all the
        # same (`child`), in case what ran out left it worse off.
        ctx.out_of_memory = True
        raise _PageFailed(f"reading its scan by OCR ran out of memory ({_limit(ctx)})") from None
    except Exception as exc:  # a parser's or Tesseract's error, on one untrusted page
        raise _PageFailed(f"reading its scan by OCR failed: {reason(exc)}") from None


def _read_scan(ctx: Extraction, pdf: Any, index: int) -> str | None:
    """What OCR reads on the page, rendered. pdfium is used under its lock, OCR outside it."""
    with LOCK:
        page = pdf[index]  # a scan: loaded again, as an object that renders
        try:
            image = _render(page)
        finally:
            page.close()
    return ctx.read_scan(image)


def _limit(ctx: Extraction) -> str:
    if not ctx.confined:
        return "more than is available"
    return f"more than the {ctx.limits.max_memory_bytes // MIB:,} MiB allowed"


def _render(page: Any) -> Any:
    """The page as a grey PIL image of its own (a copy: the bitmap is closed)."""
    width, height = page.get_size()  # in points, 1/72 inch
    points = max(1.0, float(width) * float(height))
    scale = min(DPI / 72, (MAX_PIXELS / points) ** 0.5)
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        return bitmap.to_pil().copy()
    finally:
        bitmap.close()


def _metadata(doc: EntityProxy, pdf: Any) -> None:
    """Title, author, generator and dates, from the document information dictionary
    (read by pdfium, already open, rather than by parsing the file a second time)."""
    try:
        with LOCK:
            info = pdf.get_metadata_dict(skip_empty=True)
    except pypdfium2.PdfiumError:  # metadata is a bonus: a bad Info dict is not fatal
        return
    for prop, value in (
        ("title", info.get("Title")),
        ("author", info.get("Author")),
        ("generator", info.get("Producer") or info.get("Creator")),
        ("summary", info.get("Subject")),
    ):
        if isinstance(value, str) and value.strip():
            doc.add(prop, value.strip())
    for prop, key in (("authoredAt", "CreationDate"), ("modifiedAt", "ModDate")):
        add_date(doc, prop, pdf_date(info.get(key)))


# A PDF date (ISO 8824): D:YYYYMMDDHHmmSS then Z (often Z00'00') or an offset
# +HH'mm', every part after the year optional.
_DATE = re.compile(
    r"(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"(?:([Zz])(?:\d{2}'?(?:\d{2}'?)?)?|([+-])(\d{2})'?(?:(\d{2})'?)?)?\s*$"
)


def pdf_date(text: str | None) -> datetime | None:
    """A PDF date as a datetime (aware if it names its offset); None if it is not one."""
    found = _DATE.match(text.strip()) if text else None
    if found is None:
        return None
    year, month, day, hour, minute, second, utc, sign, off_h, off_m = found.groups()
    zone = None
    if utc:
        zone = UTC
    elif sign:
        offset = timedelta(hours=int(off_h), minutes=int(off_m or 0))
        zone = timezone(-offset if sign == "-" else offset)
    try:
        return datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=zone,
        )
    except ValueError:  # month 13, offset of a day...
        return None


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:20]))
    more = f" and {len(numbers) - 20} more" if len(numbers) > 20 else ""
    return f"page{'s' if len(numbers) > 1 else ''} {shown}{more}"
