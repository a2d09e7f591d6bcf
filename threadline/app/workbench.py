"""The Workbench: the library API. The CLI and the HTTP API are thin layers over it.

It wires the store (source of truth) to the derived search index and delegates the work
to the domain packages. Every call acts in a `Context` (who, for which case or purpose,
which request): it sees only what that context may read, and leaves an audit event.
`acting(context)` gives the same workbench acting for someone else. The verb groups
live in `threadline.app.verbs`; this module holds ingest, search and read.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from threadline.access import AccessDenied, Level, Role, require
from threadline.access.profiling import refuse_profiling
from threadline.app import covering, indexer
from threadline.app.accountability import Scope
from threadline.app.context import LOCAL, Context
from threadline.app.freshness import Freshness
from threadline.app.jobs.store import JobStore
from threadline.app.verbs.admin import AdminVerbs
from threadline.app.verbs.audit import AuditVerbs
from threadline.app.verbs.backup import BackupVerbs
from threadline.app.verbs.base import Backends, VerbsBase, assemble
from threadline.app.verbs.cases import CaseVerbs
from threadline.app.verbs.documents import DocumentVerbs
from threadline.app.verbs.export import ExportVerbs
from threadline.app.verbs.graph import GraphVerbs
from threadline.app.verbs.jobs import JobVerbs
from threadline.app.verbs.markings import marked
from threadline.app.verbs.mentions import MentionVerbs
from threadline.app.verbs.migrate import MigrateVerbs
from threadline.app.verbs.resolution import ResolutionVerbs
from threadline.app.verbs.schema import SchemaVerbs
from threadline.app.verbs.screening_batch import ScreeningBatchVerbs
from threadline.app.verbs.sharing import SharingVerbs
from threadline.app.verbs.suggest import SuggestVerbs
from threadline.app.verbs.tips import TipVerbs
from threadline.app.verbs.watches import WatchVerbs
from threadline.audit import ActionKind
from threadline.errors import (
    IndexBusyError,
    IndexOutdated,
    IngestAborted,
    InputError,
    NotFoundError,
    ThreadlineError,
)
from threadline.graph.links import direct_links
from threadline.ingest import FileReport, IngestOptions, documents, plan_file, run_plan
from threadline.ingest.confine import Confinement
from threadline.ingest.documents import FailedDocument
from threadline.ingest.documents.ocr import OcrOptions
from threadline.ingest.phones import check_country
from threadline.ingest.pipeline import Plan
from threadline.ingest.resume import Done
from threadline.model.entity import Entity
from threadline.model.relationship import Relationship
from threadline.progress import NoProgress, Progress, count
from threadline.search import SearchQuery, SearchResult
from threadline.settings import Settings
from threadline.store import DatasetStats
from threadline.store.assembly import load_entities

CONSULTATION = ActionKind.CONSULTATION
log = logging.getLogger(__name__)


# A folder's files are indexed in batches of this many files or entities (see
# `Workbench._ingest_all`).
FOLDER_INDEX_FILES = 500
FOLDER_INDEX_ENTITIES = 50_000


@dataclass
class DemoReport:
    """What `demo` generated and ingested."""

    folder: Path
    reports: list[FileReport]


@dataclass
class EntityView:
    """An assembled entity with every value's provenance and its direct links.

    Only statements of collections the caller may read are in it; `markings` are
    those collections' markings.
    """

    entity: Entity
    relationships: list[Relationship] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # the source records merged into it
    markings: list[str] = field(default_factory=list)


class Workbench(
    TipVerbs,  # a CaseVerbs: before it
    WatchVerbs,
    ResolutionVerbs,
    GraphVerbs,
    SharingVerbs,  # a CaseVerbs: before it
    CaseVerbs,
    AdminVerbs,
    AuditVerbs,
    BackupVerbs,
    MigrateVerbs,
    SchemaVerbs,
    SuggestVerbs,
    ScreeningBatchVerbs,
    MentionVerbs,
    DocumentVerbs,
    JobVerbs,
    ExportVerbs,
    VerbsBase,
):
    """Ingest, search, read and export; one object per data directory."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        data_dir: Path | str | None = None,
        context: Context | None = None,
    ) -> None:
        settings = settings or Settings()
        if data_dir is not None:
            settings = settings.model_copy(update={"data_dir": Path(data_dir)})
        self.settings = settings
        self.data_dir = settings.resolved_data_dir()
        self.context = context or LOCAL
        self._backends = Backends(settings)
        # Shared with the workbenches `acting` gives, like the backends.
        memory = settings.store == "memory"
        self._freshness = Freshness("sqlite://" if memory else settings.resolved_store_url())

    def acting(self, context: Context) -> Workbench:
        """This workbench, sharing its open backends, acting in another context."""
        other = copy.copy(self)
        other.context = context
        return other

    @property
    def job_queue(self) -> JobStore:
        """The persistent job queue beside the store, opened once and shared by the job
        verbs, the cover jobs that grants queue, and a server's own worker."""
        return self._backends.jobs

    def close(self) -> None:
        """Sign what was audited, and release the store, the index and the logs."""
        self._freshness.close()
        self._backends.close()

    def __enter__(self) -> Workbench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Ingest ----------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path | str],
        dataset: str | None = None,
        *,
        schema: str | None = None,
        maps: dict[str, str] | None = None,
        keys: list[str] | None = None,
        skip_errors: bool = False,
        confine_to: Path | None = None,
        country: str | None = None,
        ocr_lang: str | None = None,
        force: bool = False,
        progress: Progress | None = None,
    ) -> list[FileReport]:
        """Write files' statements to the store (one transaction per file), then index.

        Every file is checked before any is written. A file that fails is rolled back
        whole, unless `skip_errors`, which keeps the good records and reports the bad.
        Writing to a dataset needs `write` on it; a new dataset is opened by an
        investigator or admin, who then manages it. With `confine_to`, the files given
        and every file a mapping names must lie inside that folder (symlinks followed);
        files in the data directory are never read. `country` (a code such as "us") is
        where phone numbers in national format are dialed, unless the mapping says
        otherwise (see `threadline.ingest.phones`).

        Folders are read recursively, their files as documents (PDF, office, text,
        HTML, e-mail, archives; a CSV/XLSX as records with `schema`), and so is any
        file given that is not records; a document that cannot be read is kept as a
        failure (see `failures`), and a document file this extractor already did
        for the dataset is skipped (docs/documents.md). Scans and images are read by
        OCR in `ocr_lang` (Tesseract codes such as "deu+eng"; default the `ocr_lang`
        setting) when Tesseract is installed, and noted as unread otherwise.

        A re-run resumes: a records file already committed to the dataset with the same
        mapping or flags is skipped too (`threadline.ingest.resume`), and the index
        catches up with what was stored. `force` ingests every file again.
        """
        progress = progress or NoProgress()
        options = IngestOptions(
            dataset=dataset,
            schema=schema,
            maps=dict(maps or {}),
            keys=list(keys or []),
            skip_errors=skip_errors,
            country=check_country(country),
            confinement=Confinement.of(confine_to, self.data_dir),
            ocr=self._ocr(ocr_lang),
        )
        # Before anything is written (the audit log included): a second ingest waits.
        with (
            self._writing(progress),
            self._act(ActionKind.COLLECTION, "ingest", personal=False) as act,
        ):
            # Only the local admin's ids are kept as given (`ingest.namespace`).
            options = replace(options, namespaced=not act.scope.principal.local)
            found = documents.expand_paths([Path(p) for p in paths])
            shown = [f.relative if f.folder is not None else None for f in found]
            plans = [plan_file(f.path, options, s) for f, s in zip(found, shown, strict=True)]
            for plan in plans:
                self._may_write(act.scope, plan)
            act.ids = sorted({f"dataset:{plan.dataset}" for plan in plans})
            done = Done() if force else Done.of(self.store.sources())
            opened = {plan.dataset for plan in plans} - act.scope.known
            reports = self._ingest_all(act.scope, plans, skip_errors, progress, done)
            self._mentions_after(self._opened(act.scope, opened), reports, progress)
            act.detail = f"files={len(reports)} entities={sum(r.entities for r in reports)}"
            self._watch_feed({i for r in reports for i in r.entity_ids})
        self._watch_changed()  # after the writer lock: alerts may go out over the network
        return reports

    def _opened(self, scope: Scope, opened: set[str]) -> Scope:
        """The scope of an ingest once it opened new collections, which are now the
        caller's (`_ingest_one` granted them): the mention scan that follows reads
        and writes them, so it needs the principal as it is now."""
        if not opened:
            return scope
        if scope.readable is None or scope.case is not None:
            return replace(scope)  # `known` read afresh: it now has the new collections
        principal = self.accountability.principal(scope.context)
        return replace(scope, principal=principal, readable=principal.readable)

    def _ocr(self, languages: str | None) -> OcrOptions:
        try:
            return OcrOptions(
                languages or self.settings.ocr_lang, self.data_dir / "ocr", self.settings.ocr
            )
        except ValueError as exc:
            raise InputError("--ocr-lang", str(exc)) from None

    def _may_write(self, scope: Scope, plan: Plan) -> None:
        case = scope.case
        if case is not None and not case.all_sources and plan.dataset not in case.sources:
            raise AccessDenied(
                scope.actor, f"collection {plan.dataset!r}", "a place in the case's sources"
            )
        if scope.principal.local:
            return
        if plan.dataset in scope.known:
            require(scope.principal, Level.WRITE, plan.dataset)
        elif scope.principal.role is Role.VIEWER:
            raise AccessDenied(scope.actor, f"new collection {plan.dataset!r}", "role investigator")

    def _ingest_all(
        self,
        scope: Scope,
        plans: list[Plan],
        skip_errors: bool,
        progress: Progress,
        done: Done,
    ) -> list[FileReport]:
        """One file with its own progress; several (a folder) with one bar over the files
        (files/s, ETA) and the index updated every `FOLDER_INDEX_FILES` files or
        `FOLDER_INDEX_ENTITIES` entities, not after each file: a commit per small
        document cost more than the document. Files stored but not yet indexed when an
        error stops the run are indexed before it is raised."""
        if len(plans) <= 1:
            return [self._ingest_one(scope, p, skip_errors, progress, done) for p in plans]
        reports: list[FileReport] = []
        waiting: set[str] = set()
        progress.begin(f"{len(plans):,} files", len(plans), "files")
        try:
            for plan in plans:
                report = self._ingest_one(scope, plan, skip_errors, NoProgress(), done, False)
                reports.append(report)
                waiting |= report.entity_ids
                if len(waiting) >= FOLDER_INDEX_ENTITIES or len(reports) % FOLDER_INDEX_FILES == 0:
                    self._index_files(f"{len(reports):,} files", waiting, NoProgress())
                    waiting = set()
                count(progress, "pages", report.pages)  # pages/s beside files/s
                progress.advance(1)
        finally:
            progress.end()
            if waiting or any(r.skipped for r in reports):
                self._index_files(f"{len(plans):,} files", waiting, progress)
        return reports

    def _ingest_one(
        self,
        scope: Scope,
        plan: Plan,
        skip_errors: bool,
        progress: Progress,
        done: Done | None = None,
        index: bool = True,
    ) -> FileReport:
        self._keep_original(plan)  # kept by hash, so a re-run (skipped below) keeps it too
        if done is not None:
            # Resumable: files already committed to the dataset, made the same way, are
            # skipped; the index catches up with whatever a cut-off run left unindexed.
            if done.covers(plan):
                if index:
                    self._index_files(str(plan.path), set(), progress)
                return FileReport(str(plan.path), plan.dataset, plan.kind, skipped=True)
            done.note(plan)
        try:
            report = run_plan(
                self.store.writer,
                plan,
                skip_errors,
                progress,
                self.settings.workers,
                self.settings.parallel_min_bytes,
            )
        except InputError as error:
            raise IngestAborted(error) from None
        if self.accountability.add_collection(plan.dataset) and not scope.principal.local:
            self.accountability.access.grant(scope.actor, plan.dataset, Level.MANAGE)
        if index:
            self._index_files(str(plan.path), report.entity_ids, progress)
        return report

    def _index_files(self, what: str, ids: set[str], progress: Progress) -> None:
        try:
            indexer.update(self.store, self.index, self.settings, ids, progress)
        except ThreadlineError as exc:
            raise ThreadlineError(
                f"{what}: the statements were stored, but indexing failed ({exc}); "
                "run `threadline reindex`"
            ) from exc

    def _refresh(self, changed: set[str], progress: Progress) -> None:
        """After a resolution, judgement or undo: the index, then the watches."""
        super()._refresh(changed, progress)
        self._watch_changed(changed)

    # Read ------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        schema: str | None = None,
        dataset: str | None = None,
        country: str | None = None,
        doc_type: str | None = None,
        sender: str | None = None,
        recipient: str | None = None,
        year: int | None = None,
        limit: int = 10,
        offset: int = 0,
        fuzzy: bool = True,
    ) -> SearchResult:
        """Full text and names over everything the caller may read, with facets and
        highlights; a merged entity shows only its readable part. Records and
        documents come together; `doc_type` (e.g. Email, Pages), `sender`,
        `recipient` (e-mail addresses) and `year` filter by the document facets of
        the same names (`threadline.search.facets`). A query that selects
        people by nationality, ethnicity, religion, immigration status or physical traits
        is refused (`threadline.access.profiling`)."""
        # Imported here: only this method of the facade uses them.
        from threadline.search.facets import document_type, year_value

        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        refuse_profiling(query, schema, country)  # the rule watches share
        if doc_type is not None:
            doc_type = document_type(doc_type)  # any case; ValueError names the types
        if year is not None:
            year_value(year)  # ValueError: not a year
        wanted = SearchQuery(
            text=query,
            schema=schema,
            dataset=dataset,
            country=country,
            doc_type=doc_type,
            sender=sender,
            recipient=recipient,
            year=year,
            limit=limit,
            offset=offset,
            fuzzy=fuzzy,
        )
        return self._scoped_search("search", wanted)

    def _scoped_search(self, action: str, query: SearchQuery) -> SearchResult:
        """`query` over what the caller may read, as one audited consultation naming
        the ids it returned, its text hashed (search and suggest)."""
        with self._act(CONSULTATION, action) as act:
            act.detail = self.accountability.hashed("query", query.text)
            scope = act.scope
            if query.dataset is not None and not scope.sees(query.dataset):
                return SearchResult(hits=[], total=0)
            self._catch_up(scope)
            scoped = replace(query, visible=scope.readable, hidden=scope.hidden)
            result = self.index.search(scoped)
            act.ids = [hit.id for hit in result.hits]
        return marked(scope, result)

    def _catch_up(self, scope: Scope | None = None) -> None:
        """Never search a stale index: if it lags the store (a process was killed
        between its store commit and its index commit, say), bring it up to date
        first, or, beyond `indexer.CATCH_UP_LIMIT` entities, fail with `IndexBehind`,
        which says to run `threadline reindex`. Then, for a `scope` that reads part of
        the datasets, have its reader set covered (`covering.cover`: every merged
        entity gets the slice it may read) before it searches: once per reader set,
        a re-read of the merged entities only. Uncovered, its search would fail closed
        (miss merged entities it partly reads), never show more.

        Unless another process is writing the index: then it is the one catching up
        (an ingest's worker, say, between its store commit and its index commit), and
        the search answers from what the index has committed rather than wait for it
        (and a reader set not yet covered is covered by a later search).
        """
        # Imported here: only this method of the facade uses it.
        from threadline.search.readers import reader_set

        index, store, settings = self.index, self.store, self.settings
        # Asked before the store: a commit in between shows as a change next time.
        version = self._freshness.version()
        indexed = index.generation()
        try:
            if not self._freshness.unchanged(version, indexed):
                current = store.generation()
                generation = (current.store_id, current.number)
                if indexed != generation:
                    limit = indexer.CATCH_UP_LIMIT
                    indexer.catch_up(
                        store, index, settings, NoProgress(), limit=limit, prune=False, wait=False
                    )
                    log.warning("the search index was behind the store; it was brought up to date")
                self._freshness.note(version, generation)
            # Not for the local admin, whose search never reads which datasets exist.
            reader = (
                None
                if scope is None or scope.readable is None
                else reader_set(scope.datasets, scope.hidden)
            )
            if reader is not None and covering.cover(
                store, index, settings, NoProgress(), reader, wait=False
            ):
                log.info("the search index now holds the parts a new reader set may read")
        except IndexBusyError:
            log.info("the search index is being written by another process; searching it as is")

    def entity(self, entity_id: str) -> EntityView:
        """The assembled entity, each value with its provenance, and its direct links.

        Any member id of a merged entity gives the merged (canonical) entity.
        """
        with self._act(CONSULTATION, "entity") as act:
            scope = act.scope
            entity, members = self._visible(scope, entity_id)

            def load(ids: Collection[str]) -> dict[str, Entity]:
                loaded = load_entities(self.store, ids)
                seen = {i: scope.rows(e.statements) for i, e in loaded.items()}
                return {
                    i: assemble(i, rows, loaded[i].source_names) for i, rows in seen.items() if rows
                }

            references = [r for m in members for r in self.store.references(m)]
            if scope.readable is not None:
                # Keep a link only if a readable statement states it.
                linking = load({r.entity_id for r in references})
                ends = set(members)
                references = [
                    r
                    for r in references
                    if r.entity_id in linking
                    and any(
                        row.prop == r.prop and row.value in ends
                        for row in linking[r.entity_id].statements
                    )
                ]
            links = direct_links(entity, references, load, members)
            act.ids = list(dict.fromkeys([entity.id, *members]))
        return EntityView(entity, links, members, scope.markings(entity.datasets))

    def failures(self, dataset: str | None = None) -> list[FailedDocument]:
        """Every document that could not be extracted (`processingStatus=failure`), with
        its file names and the reason, in the datasets the caller may read."""
        with self._act(CONSULTATION, "failures", personal=False) as act:
            scope = act.scope
            if dataset is not None and (dataset not in scope.known or not scope.sees(dataset)):
                raise NotFoundError(f"No dataset named {dataset!r}")

            def wanted(name: str) -> bool:
                return scope.sees(name) and dataset in (None, name)

            batches = self.store.iter_batches(props=documents.failures.PROPS)
            failed = documents.failed_documents(batches, wanted)
            act.ids = [f.entity_id for f in failed]
        return failed

    def datasets(self) -> list[DatasetStats]:
        """Every dataset the caller may read, with its entity, statement and source counts."""
        with self._act(CONSULTATION, "datasets", personal=False) as act:
            stats = [d for d in self.store.datasets() if act.scope.sees(d.name)]
            act.ids = [f"dataset:{d.name}" for d in stats]
        return stats

    def demo(
        self, *, seed: int = 7, scale: float = 1.0, progress: Progress | None = None
    ) -> DemoReport:
        """Generate the synthetic investigation into the data dir and ingest it."""
        from threadline.demo import generate

        folder = self.data_dir / "demo-sources"
        reports: list[FileReport] = []
        for source in generate(folder, seed=seed, scale=scale):
            reports.extend(
                self.ingest(
                    list(source.paths), source.dataset, confine_to=folder, progress=progress
                )
            )
        return DemoReport(folder=folder, reports=reports)

    # Derived views ---------------------------------------------------------------

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the search index from the store (admins only), in one commit:
        searches use the old index until the new one is complete."""
        progress = progress or NoProgress()
        with (
            self._writing(progress),
            self._act(ActionKind.ALTERATION, "reindex", personal=False) as act,
        ):
            self._require_admin(act.scope, "reindex")
            try:
                index = self.index
            except IndexOutdated:  # other fields: start from nothing
                index = self._backends.reopen_index()
            count = indexer.rebuild(self.store, index, self.settings, progress)
            act.detail = f"entities={count}"
        return count
