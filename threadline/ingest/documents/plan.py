"""Documents in the ingest pipeline: a reader that extracts a file's entities, a converter
spec that turns them into statements (in worker processes if need be), and the record
that lets a re-run skip files already done."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from followthemoney import model
from followthemoney.proxy import EntityProxy

from threadline.errors import InputError
from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.extract import Extraction
from threadline.ingest.documents.limits import DocumentLimits
from threadline.ingest.documents.ocr import OcrOptions
from threadline.ingest.limits import Limits
from threadline.ingest.namespace import DatasetNamespace
from threadline.ingest.source import ErrorSink, SourceFile
from threadline.model.provenance import SourceInfo

# Bumped whenever extraction changes what it writes: files ingested by an older
# extractor are extracted again, files done by this one are skipped.
EXTRACTOR_VERSION = 2  # 2: scans and images read by OCR
DOCUMENT_KIND = f"documents-v{EXTRACTOR_VERSION}"
# Extraction stops a document at this share of the file's time budget, so the file
# fails as a document (kept, and listed) before the pipeline's own deadline aborts it.
_TIME_SHARE = 0.8


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
    are counted in `counted`."""

    def read(
        on_error: ErrorSink | None, on_bytes: Callable[[int], None]
    ) -> Iterator[tuple[int, Any]]:
        ends = time.monotonic() + _TIME_SHARE * limits.seconds_for(source.size)
        ctx = Extraction(str(source.path), DocumentLimits.of(limits), ends, ocr=ocr)
        blob = Blob(source.path.name, shown, source.path)
        blob.__dict__["sha256"] = source.sha256  # already hashed: a cached_property's slot
        on_bytes(source.size)
        for entity in ctx.document(blob):
            # A page's statements are located by its number; other documents have no
            # row (None: the store's location is nullable; Reader's type predates that).
            page = entity.first("index") if entity.schema.name == "Page" else None
            location = cast(int, int(page) if page is not None else None)
            if page is not None and counted is not None:
                counted.pages += 1
            yield location, entity.to_dict()
        failed.extend(InputError(p.where, p.message) for p in ctx.failures)
        warnings.extend(InputError(p.where, p.message) for p in ctx.notices)

    return read


def already_done(sources: Iterable[SourceInfo]) -> set[tuple[str, str]]:
    """(sha256, dataset) of every file this extractor version has ingested: read once
    per ingest, so a folder of many files does not read the sources table for each."""
    return {(info.sha256, info.dataset) for info in sources if info.kind == DOCUMENT_KIND}
