"""Documents in the ingest pipeline: a reader that extracts a file's entities, a converter
spec that turns them into statements (in worker processes if need be), and the record
that lets a re-run skip files already done."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from followthemoney import model
from followthemoney.proxy import EntityProxy

from threadline.errors import InputError
from threadline.ingest.documents import ahead, sandbox
from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.child import Request
from threadline.ingest.documents.extract import Extraction
from threadline.ingest.documents.limits import DocumentLimits
from threadline.ingest.documents.ocr import OcrOptions
from threadline.ingest.limits import Limits
from threadline.ingest.namespace import DatasetNamespace
from threadline.ingest.source import ErrorSink, SourceFile
from threadline.model.provenance import SourceInfo

# Bumped whenever extraction changes what it writes: files ingested by an older
# extractor are extracted again, files done by this one are skipped.
# 2: OCR of scans; 3: a sandboxed child without network, facets, metadata by pdfium.
EXTRACTOR_VERSION = 3
DOCUMENT_KIND = f"documents-v{EXTRACTOR_VERSION}"
# Extraction stops a document at this share of the file's time budget, so the file
# fails as a document (kept, and listed) before the pipeline's own deadline aborts it;
# a child process that does not stop is killed at the second share.
_TIME_SHARE = 0.8
_KILL_SHARE = 0.9
UNCONFINED_NOTICE = (
    "extracted in the ingesting process, without a child process's memory and time "
    "limits: worker processes cannot start here (see docs/documents.md)"
)


@dataclass
class PageCount:
    """The pages a document file's extraction yielded, for the ingest's pages/s."""

    pages: int = 0


@dataclass(frozen=True)
class DocumentSpec:
    """Extracted entities (as FtM dicts) of one file, to statements."""

    source: SourceFile
    namespace: str | None = None  # sign ids with this dataset (`ingest.namespace`)

    def build(self) -> Callable[[int, Any], list[EntityProxy]]:
        """Return a converter of one extracted entity."""
        namespace = DatasetNamespace(self.namespace) if self.namespace else None

        def convert(location: int, payload: Any) -> list[EntityProxy]:
            entity = model.get_proxy(payload, cleaned=True)
            return [namespace.apply(entity) if namespace else entity]

        return convert


def document_reader(
    source: SourceFile,
    shown: str,
    limits: Limits,
    failed: list[InputError],
    warnings: list[InputError],
    ocr: OcrOptions | None = None,
    counted: PageCount | None = None,
) -> Callable[[ErrorSink | None, Callable[[int], None]], Iterator[tuple[int, Any]]]:
    """A pipeline reader of the file's document entities; `shown` is its path as
    recorded (relative to the folder it was found in). Documents that fail go to
    `failed`, notices (pages without text) to `warnings`: neither stops the file.
    Scans are read by OCR with `ocr`'s languages (not at all without it). Pages
    are counted in `counted`.

    The file is extracted in a child process under memory and time limits
    (`documents.sandbox`), or here, with a notice, where none can start. A folder's
    next files are extracted ahead while this one is stored (`documents.ahead`)."""

    def request() -> Request:
        seconds = limits.seconds_for(source.size)
        started = time.monotonic()
        return Request(
            path=str(source.path),
            shown=shown,
            sha256=source.sha256,
            limits=DocumentLimits.of(limits),
            ends=started + _TIME_SHARE * seconds,
            seconds=_KILL_SHARE * seconds,
            stop_at=started + _KILL_SHARE * seconds,
            ocr=ocr,
        )

    # Noted in the plans of this thread, so it can be extracted ahead (`ahead`).
    planned = ahead.note(ahead.Planned(source.sha256, request))

    def read(
        on_error: ErrorSink | None, on_bytes: Callable[[int], None]
    ) -> Iterator[tuple[int, Any]]:
        on_bytes(source.size)
        outcome = sandbox.Outcome()
        if sandbox.available():
            entities = ahead.entities(planned, outcome)
        else:
            warnings.append(InputError(source.path, UNCONFINED_NOTICE))
            entities = _in_process(request(), outcome)
        for entity in entities:
            # A page's statements are located by its number; other documents have no
            # row (None: the store's location is nullable; Reader's type predates that).
            page = entity["properties"].get("index") if entity["schema"] == "Page" else None
            location = cast(int, int(page[0]) if page else None)
            if page and counted is not None:
                counted.pages += 1
            yield location, entity
        failed.extend(InputError(p.where, p.message) for p in outcome.failures)
        warnings.extend(InputError(p.where, p.message) for p in outcome.notices)

    return read


def _in_process(request: Request, outcome: sandbox.Outcome) -> Iterator[dict[str, Any]]:
    """Extraction in this process, bounded only by the size caps and its time checks."""
    ctx = Extraction(request.path, request.limits, request.ends, ocr=request.ocr)
    path = Path(request.path)
    blob = Blob(path.name, request.shown, path)
    blob.__dict__["sha256"] = request.sha256  # already hashed: a cached_property's slot
    for entity in ctx.document(blob):
        yield entity.to_dict()
    outcome.failures += ctx.failures
    outcome.notices += ctx.notices


def already_done(sources: Iterable[SourceInfo]) -> set[tuple[str, str]]:
    """(sha256, dataset) of every file this extractor version has ingested: read once
    per ingest, so a folder of many files does not read the sources table for each."""
    return {(info.sha256, info.dataset) for info in sources if info.kind == DOCUMENT_KIND}
