"""One file's extraction: its document, its pages and parts, recursively, never failing.

Whatever goes wrong inside a document (a damaged PDF, a zip bomb, a parser's
exception) becomes that document's `processingStatus=failure` with the reason in
`processingError`, and the rest of the file goes on: a leak with one broken PDF is
still searchable. What was extracted before the failure (pages, members) is kept. A page that
fails alone (OCR out of memory on one scan) fails only itself: the document is kept
with the other pages as `processingStatus=partial`, the page named in its
`processingError`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from followthemoney.proxy import EntityProxy

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import FAILURE, PARTIAL, SUCCESS, new_document
from threadline.ingest.documents.kinds import detect, mime_of
from threadline.ingest.documents.limits import DocumentLimits, ExtractionFailed, TooLarge
from threadline.ingest.documents.ocr import OcrOptions, OcrUnavailable, read_image
from threadline.ingest.limits import MIB

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)


@dataclass
class Problem:
    """A document that failed, or a notice about one that did not (pages without text)."""

    where: str  # the file, and the path inside it ("leak.zip!mail/a.eml")
    message: str
    entity_id: str


@dataclass
class Extraction:
    """The state of one top-level file's extraction: limits, counts and problems."""

    label: str  # the file as the user named it
    limits: DocumentLimits = field(default_factory=DocumentLimits)
    ends: float | None = None  # time.monotonic() by which extraction must stop
    members: int = 0
    expanded: int = 0
    failures: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    ocr: OcrOptions | None = None  # None or disabled: scans are kept unread, with a notice
    ocr_missing: str | None = None  # why the last scan was not read
    # Called as each document starts (the sandbox reports it, so a document whose
    # extraction kills the process can still be recorded as failed).
    on_open: Callable[[Blob, EntityProxy], None] | None = None
    # Called before a scanned page of a document is read by OCR (the sandbox reports
    # it, so a page whose OCR kills the process can fail alone: see `sandbox.collect`).
    on_scan: Callable[[EntityProxy, int], None] | None = None
    # Scanned pages not to read, by (document id, page number): why they fail.
    failed_scans: dict[tuple[str, int], str] = field(default_factory=dict)
    confined: bool = False  # in a child process under `limits.max_memory_bytes`
    out_of_memory: bool = False  # a document ran out of memory (the process may be worn)
    partial: set[str] = field(default_factory=set)  # ids of documents with a failed page

    def read_scan(self, image: Image) -> str | None:
        """The text OCR reads in a scanned page or image, or None when OCR is off or
        cannot run (`ocr_missing` then says why, for the notice)."""
        if self.ocr is None or not self.ocr.enabled:
            self.ocr_missing = "OCR is off for this ingest"
            return None
        self.check_time()
        seconds = None if self.ends is None else max(1.0, self.ends - time.monotonic())
        try:
            return read_image(image, self.ocr, seconds)
        except OcrUnavailable as exc:
            self.ocr_missing = str(exc)
            return None

    def page_failed(self, blob: Blob, doc: EntityProxy, message: str) -> None:
        """A part of the document (a page) that could not be read while the rest was:
        the document goes on, and ends `partial` with the part's error."""
        self.partial.add(str(doc.id))
        doc.add("processingError", message)
        self.failures.append(Problem(self.where(blob), message, str(doc.id)))

    def where(self, blob: Blob) -> str:
        """How a problem names the blob."""
        return f"{self.label}!{blob.path}" if blob.depth else self.label

    def check_time(self) -> None:
        """Stop a document that has used up the file's time."""
        if self.ends is not None and time.monotonic() > self.ends:
            raise ExtractionFailed("extraction ran out of the time allowed for this file")

    def notice(self, blob: Blob, doc: EntityProxy, message: str) -> None:
        """Something the document lacks though it was read (a page without text)."""
        doc.add("processingError", message)
        self.notices.append(Problem(self.where(blob), message, str(doc.id)))

    def document(self, blob: Blob, parent: EntityProxy | None = None) -> Iterator[EntityProxy]:
        """The entities of one blob: its document last, the others as they come."""
        fmt = detect(blob)
        doc = new_document(fmt.schema, blob, parent, mime_of(fmt, blob))
        if self.on_open is not None:
            self.on_open(blob, doc)
        try:
            if blob.depth > self.limits.max_depth:
                raise TooLarge(
                    f"is nested {blob.depth} containers deep, more than the "
                    f"{self.limits.max_depth} allowed"
                )
            self.check_time()
            yield from fmt.handler()(self, doc, blob)
        except (ExtractionFailed, TooLarge) as exc:
            self._fail(blob, doc, str(exc))
        except MemoryError:
            self.out_of_memory = True
            self._fail(blob, doc, self.memory_message())
        except Exception as exc:
            # Parsers of untrusted files raise anything; the file is what failed.
            log.debug("extracting %s failed", self.where(blob), exc_info=True)
            self._fail(blob, doc, f"could not be read as {fmt.name}: {reason(exc)}")
        else:
            doc.add("processingStatus", PARTIAL if str(doc.id) in self.partial else SUCCESS)
        yield doc

    def memory_message(self) -> str:
        """Why a document that ran out of memory failed."""
        if not self.confined:
            return "extracting it needed more memory than is available"
        return memory_stop(self.limits)

    def refuse(
        self, parent: EntityProxy, parent_blob: Blob, path: str, size: int, message: str
    ) -> EntityProxy:
        """A container's part that is not extracted (a likely bomb): a failed document
        of its own, so the container's other parts go on. Its declared size still
        counts against the file's limits: skipping it can cost decompressing it."""
        self.count(size)
        blob = Blob.of_bytes(path, b"", parent_blob.depth + 1)
        blob.__dict__["size"] = size  # as declared: its bytes were not all read
        fmt = detect(blob)  # by its name: there are no bytes to look at
        doc = new_document(fmt.schema, blob, parent, mime_of(fmt, blob))
        doc.pop("contentHash")  # the hash of bytes never read would name other content
        self._fail(blob, doc, message)
        return doc

    def child(
        self, parent: EntityProxy, parent_blob: Blob, path: str, data: bytes
    ) -> Iterator[EntityProxy]:
        """A part of a container (an archive member, an attachment), extracted in turn."""
        self.count(len(data))
        yield from self.document(Blob.of_bytes(path, data, parent_blob.depth + 1), parent)

    def count(self, size: int) -> None:
        """Count a member against the file's limits before it is extracted."""
        self.members += 1
        self.expanded += size
        if self.members > self.limits.max_members:
            raise TooLarge(f"holds more than {self.limits.max_members:,} files, the most allowed")
        if self.expanded > self.limits.max_expanded_bytes:
            raise TooLarge(
                f"expands to more than {self.limits.max_expanded_bytes:,} bytes, the most "
                "allowed for one file"
            )

    def _fail(self, blob: Blob, doc: EntityProxy, message: str) -> None:
        doc.add("processingStatus", FAILURE)
        doc.add("processingError", message)
        self.failures.append(Problem(self.where(blob), message, str(doc.id)))


def memory_stop(limits: DocumentLimits) -> str:
    """The processingError of a document stopped at the memory limit."""
    return (
        f"extraction was stopped: it used more than {limits.max_memory_bytes // MIB:,} MiB "
        "of memory"
    )


def reason(exc: Exception) -> str:
    """An exception as a processingError names it: its type and first line."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__
