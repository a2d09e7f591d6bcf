"""One file's ingest: plan it (all checks first), then write its statements in one go."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from threadline.errors import InputError, MappingError
from threadline.ingest import documents, ftm, mapping, tabular
from threadline.ingest.confine import Confinement
from threadline.ingest.convert import ConverterSpec, EntityLineSpec, MappingSpec
from threadline.ingest.documents import links
from threadline.ingest.documents.ocr import OcrOptions
from threadline.ingest.limits import Limits
from threadline.ingest.parallel import batched
from threadline.ingest.records import read_csv, read_csv_header
from threadline.ingest.resume import recipe
from threadline.ingest.schemata import EntitySchemata
from threadline.ingest.sheet import read_xlsx, read_xlsx_header
from threadline.ingest.source import ErrorSink, SourceFile, iter_lines, open_source
from threadline.ingest.workers import Job, convert
from threadline.model.provenance import SourceInfo
from threadline.model.statement import RawRow, StatementRow
from threadline.progress import NoProgress, Progress

_WRITE_BATCH = 50_000
# Statement ids already written in this file; bounded so huge files stay in memory.
_SEEN_LIMIT = 2_000_000

Reader = Callable[[ErrorSink | None, Callable[[int], None]], Iterator[tuple[int, Any]]]


class StatementSink(Protocol):
    """Where a file's statements go: one open transaction of the store."""

    def add(self, rows: Sequence[StatementRow | RawRow]) -> None:
        """Stage statements."""

    def add_source(self, source: SourceInfo) -> None:
        """Record the file they came from."""


Transaction = Callable[[], AbstractContextManager[StatementSink]]


@dataclass(frozen=True)
class IngestOptions:
    """How to read files: the dataset, quick-mapping flags, and error policy."""

    dataset: str | None = None
    schema: str | None = None
    maps: dict[str, str] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    skip_errors: bool = False
    # Phone numbers in national format are read as dialed here (`ingest.phones`);
    # checked by `phones.check_country` before it gets here.
    country: str | None = None
    # Sign entity ids with the dataset (see `ingest.namespace`): for every writer but
    # the local admin, so no one else can write under another collection's ids.
    namespaced: bool = False
    # Where files may be read from: given files and every file a mapping names.
    confinement: Confinement = field(default_factory=Confinement)
    limits: Limits = field(default_factory=Limits)  # caps on size, time and memory
    # How scans and images are read (`documents.ocr`); None: not at all.
    ocr: OcrOptions | None = None


@dataclass
class FileReport:
    """What ingesting one file did."""

    path: str
    dataset: str
    kind: str
    records: int = 0
    entities: int = 0
    statements: int = 0
    errors: list[InputError] = field(default_factory=list)
    # Values followthemoney discarded from records that were kept (see ingest.notices).
    notices: list[InputError] = field(default_factory=list)
    seconds: float = 0.0
    entity_ids: set[str] = field(default_factory=set, repr=False)
    # Documents (see ingest.documents): those that could not be extracted, notices
    # about those that were (pages without text), and whether the file was skipped
    # because this extractor had already done it.
    failed: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    skipped: bool = False
    pages: int = 0  # of documents (a PDF's), for the ingest's pages/s


@dataclass(frozen=True)
class Part:
    """One source file of a plan: how to read its records and how to convert them."""

    source: SourceFile
    read: Reader
    spec: ConverterSpec


@dataclass
class Plan:
    """A checked file, ready to stream entities; nothing has been written yet."""

    path: Path
    dataset: str
    kind: str
    parts: list[Part]
    limits: Limits = field(default_factory=Limits)
    failed: list[InputError] = field(default_factory=list)  # documents, filled as read
    warnings: list[InputError] = field(default_factory=list)
    counted: documents.PageCount = field(default_factory=documents.PageCount)

    @property
    def sources(self) -> list[SourceFile]:
        """The files whose records are read (a mapping's CSVs, not its YAML)."""
        return [p.source for p in self.parts]

    @property
    def total_bytes(self) -> int:
        """Bytes to read, for the progress bar."""
        return sum(s.size for s in self.sources)


def _csv_reader(source: SourceFile, limits: Limits) -> Reader:
    def read(
        on_error: ErrorSink | None, on_bytes: Callable[[int], None]
    ) -> Iterator[tuple[int, Any]]:
        return read_csv(source, on_error=on_error, on_bytes=on_bytes, limits=limits)

    return read


def _sign(options: IngestOptions, dataset: str) -> str | None:
    """The namespace to sign ids with, if the options ask for one."""
    return dataset if options.namespaced else None


def plan_file(path: Path, options: IngestOptions, shown: str | None = None) -> Plan:
    """Check a path and decide how to read it; raises before anything is written.

    `shown` is given for a file found in a folder (its path relative to the folder):
    such a file is a document, unless it is a CSV/XLSX and `--schema` is given. A
    file given by name is read as records if its type says so, else as a document.
    """
    options.confinement.check_path(path)
    if shown is not None and (refusal := links.refusal(path, shown)) is not None:
        return _plan_refused(path, options, shown, refusal)
    # First, so a typo in a path is not reported as a missing flag or an unknown type.
    if not path.is_file():
        raise InputError(path, "is not a file" if path.exists() else "no such file")
    suffix = path.suffix.lower()
    as_records = suffix in tabular.EXTENSIONS and options.schema is not None
    if shown is not None and not as_records:
        return _plan_document(path, options, shown)
    if suffix in mapping.EXTENSIONS:
        loaded = mapping.load_mapping(path, options.dataset, options.confinement)
        parts = [
            Part(
                csv,
                _csv_reader(csv, options.limits),
                MappingSpec(
                    query.data,
                    loaded.dataset,
                    str(csv.path),
                    _sign(options, loaded.dataset),
                    options.country,
                ),
            )
            for query in loaded.queries
            for csv in query.csvs
        ]
        return Plan(path, loaded.dataset, "mapping", parts, options.limits)

    if options.dataset is None:
        raise InputError(path, "give --dataset NAME for this file")
    dataset = options.dataset
    if suffix in ftm.EXTENSIONS:
        source = open_source(path)

        def read_lines(
            on_error: ErrorSink | None, on_bytes: Callable[[int], None]
        ) -> Iterator[tuple[int, Any]]:
            return iter_lines(source, on_error=on_error, on_bytes=on_bytes)

        lines = EntityLineSpec(source, _sign(options, dataset), options.limits, options.country)
        return Plan(path, dataset, "ftm", [Part(source, read_lines, lines)], options.limits)

    if suffix in tabular.EXTENSIONS:
        if options.schema is None:
            raise MappingError(
                path, "a plain table needs --schema and --map (or use an FtM mapping YAML)"
            )
        is_xlsx = suffix == ".xlsx"
        source = open_source(path, binary=is_xlsx)
        header = read_xlsx_header(source, options.limits) if is_xlsx else read_csv_header(source)
        query = tabular.build_quick_mapping(
            options.schema, options.maps, options.keys, header, dataset, str(path)
        )
        spec = MappingSpec(query, dataset, str(path), _sign(options, dataset), options.country)
        if not is_xlsx:
            parts = [Part(source, _csv_reader(source, options.limits), spec)]
            return Plan(path, dataset, "csv", parts, options.limits)

        def read_sheet(
            on_error: ErrorSink | None, on_bytes: Callable[[int], None]
        ) -> Iterator[tuple[int, Any]]:
            return read_xlsx(source, on_error=on_error, limits=options.limits)

        return Plan(path, dataset, "xlsx", [Part(source, read_sheet, spec)], options.limits)

    return _plan_document(path, options, path.name)


def _plan_document(path: Path, options: IngestOptions, shown: str) -> Plan:
    """A document file (or a folder's file): its entities come from extraction."""
    if options.dataset is None:
        raise InputError(path, "give --dataset NAME for this file")
    source = SourceFile(
        path=path, sha256=documents.hash_file(path), size=path.stat().st_size, encoding="binary"
    )
    failed: list[InputError] = []
    warnings: list[InputError] = []
    counted = documents.PageCount()
    read = documents.document_reader(
        source, shown, options.limits, failed, warnings, options.ocr, counted
    )
    spec = documents.DocumentSpec(source, _sign(options, options.dataset))
    parts = [Part(source, read, spec)]
    kind = documents.DOCUMENT_KIND
    return Plan(path, options.dataset, kind, parts, options.limits, failed, warnings, counted)


def _plan_refused(path: Path, options: IngestOptions, shown: str, reason: str) -> Plan:
    """A folder's file that is not opened (`documents.links`): one failed document."""
    if options.dataset is None:
        raise InputError(path, "give --dataset NAME for this file")
    failed: list[InputError] = []
    source, read = links.refused(path, shown, reason, failed)
    spec = documents.DocumentSpec(source, _sign(options, options.dataset))
    parts = [Part(source, read, spec)]
    return Plan(path, options.dataset, links.REFUSED_KIND, parts, options.limits, failed)


def run_plan(
    transaction: Transaction,
    plan: Plan,
    skip_errors: bool,
    progress: Progress | None = None,
    workers: int = 1,
    parallel_min_bytes: int = 8 << 20,
) -> FileReport:
    """Write one planned file in a single transaction; on error, nothing is kept.

    Records are converted in `workers` processes when the file has at least
    `parallel_min_bytes` (below that, starting a pool costs more than it saves).
    """
    progress = progress or NoProgress()
    report = FileReport(path=str(plan.path), dataset=plan.dataset, kind=plan.kind)
    started = time.perf_counter()
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    on_error: ErrorSink | None = report.errors.append if skip_errors else None
    pool_size = workers if plan.total_bytes >= parallel_min_bytes else 1
    records: dict[str, int] = {}
    schemata = EntitySchemata()
    seen: set[str] = set()
    batch: list[RawRow] = []
    made = recipe(plan)  # marks the file done, in its own transaction (`ingest.resume`)
    progress.begin(plan.path.name, plan.total_bytes, "bytes")
    try:
        with transaction() as writer:
            for part in plan.parts:
                source = part.source
                job = Job(part.spec, plan.dataset, source.sha256, now)
                records_in = part.read(on_error, progress.advance)
                for done in convert(job, records_in, pool_size, plan.limits, source.size):
                    for line, message in done.errors:
                        error = InputError(source.path, message, line)
                        if on_error is None:
                            raise error
                        on_error(error)
                    report.notices += [InputError(source.path, m, n) for n, m in done.notices]
                    records[source.sha256] = records.get(source.sha256, 0) + done.records
                    for entity_id, schema, location in done.entities:
                        schemata.note(entity_id, schema, source.sha256, location)
                    for row in done.rows:
                        if row[1] not in seen:  # the statement id
                            seen.add(row[1])
                            batch.append(row)
                    if len(batch) >= _WRITE_BATCH:
                        # The writer sorts by the store's clustered key, (entity_id, id).
                        writer.add(batch)
                        report.statements += len(batch)
                        batch = []
                        if len(seen) > _SEEN_LIMIT:
                            seen.clear()
            writer.add(batch)
            report.statements += len(batch)
            # Last, so each carries the schema all the file's records agree on.
            for ids in batched(schemata.id_rows(plan.dataset, now), _WRITE_BATCH):
                writer.add(ids)
                report.statements += len(ids)
            for source in plan.sources:
                writer.add_source(
                    SourceInfo(
                        sha256=source.sha256,
                        name=source.name,
                        dataset=plan.dataset,
                        size=source.size,
                        kind=plan.kind,
                        ingested_at=now,
                        records=records.get(source.sha256, 0),
                        recipe=made,
                    )
                )
    finally:
        progress.end()
    report.records = sum(records.values())
    report.failed, report.warnings = plan.failed, plan.warnings
    report.pages = plan.counted.pages
    report.entity_ids = schemata.ids()
    report.entities = len(report.entity_ids)
    report.seconds = time.perf_counter() - started
    return report
