"""What every group of workbench verbs shares: the opened backends, the acting context,
and `_act`, which scopes a call, records its audit event, and fails the call if the
event cannot be written.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from threadline.access import AccessDenied, Level, can, require_admin
from threadline.app.accountability import Accountability, Scope
from threadline.app.context import Context
from threadline.app.jobs.cover import cover_later
from threadline.app.jobs.store import JobStore
from threadline.app.jobs.table import jobs_url
from threadline.app.prompts import JustificationRequired
from threadline.app.schema import SCHEMA
from threadline.audit import ActionKind, AuditWriteError
from threadline.errors import NotFoundError
from threadline.model.entity import Entity
from threadline.model.statement import StatementRow
from threadline.progress import Progress
from threadline.search import SearchIndex, open_index
from threadline.settings import Settings
from threadline.store import Store, open_store
from threadline.store.assembly import load_entities
from threadline.store.lock import writer_lock


def assemble(entity_id: str, rows: list[StatementRow], names: dict[str, str]) -> Entity:
    """An entity of these statements, naming only their own source files: the names
    of other files could tell of collections the caller may not read."""
    sources = {row.source for row in rows}
    return Entity.assemble(entity_id, rows, {k: v for k, v in names.items() if k in sources})


# Kinds of call that change what is stored.
CHANGING = frozenset({ActionKind.COLLECTION, ActionKind.ALTERATION, ActionKind.ERASURE})


class Backends:
    """The store, the search index and the accountability services of one data dir,
    opened on first use and shared by every context acting on them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.data_dir = settings.resolved_data_dir()
        self._store: Store | None = None
        self._index: SearchIndex | None = None
        self._accountability: Accountability | None = None
        self._jobs: JobStore | None = None
        self.lazy: dict[str, Any] = {}  # other services built from these, once
        self._opening = threading.RLock()

    @property
    def store(self) -> Store:
        if self._store is None:
            with self._opening:  # a server's threads may all ask at once
                if self._store is None:
                    self._store = open_store(self.settings, SCHEMA)
        return self._store

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            with self._opening:
                if self._index is None:
                    self._index = open_index(self.settings)
        return self._index

    def reopen_index(self) -> SearchIndex:
        """Drop the index files and open an empty index (to rebuild it)."""
        if self._index is not None:
            self._index.close()
        self._index = open_index(self.settings, fresh=True)
        return self._index

    @property
    def accountability(self) -> Accountability:
        if self._accountability is None:
            with self._opening:
                if self._accountability is None:
                    settings = self.settings
                    memory = settings.store == "memory"
                    url = "sqlite://" if memory else settings.resolved_store_url()
                    self._accountability = Accountability(settings, url, self.dataset_names)
        return self._accountability

    @property
    def jobs(self) -> JobStore:
        """The job queue beside the store (in memory with it), opened on first use."""
        if self._jobs is None:
            with self._opening:
                if self._jobs is None:
                    self._jobs = JobStore(jobs_url(self.settings))
        return self._jobs

    def dataset_names(self) -> set[str]:
        """Every dataset in the store (read each time: another process may ingest)."""
        return self.store.source_datasets()

    def close(self) -> None:
        try:
            if self._accountability is not None:
                self._accountability.close()
                self._accountability = None
        finally:
            if self._index is not None:
                self._index.close()
                self._index = None
            if self._store is not None:
                self._store.close()
                self._store = None
            if self._jobs is not None:
                self._jobs.close()
                self._jobs = None
            self.lazy.clear()


@dataclass
class Act:
    """One call in progress: its scope, and what its audit event will say."""

    scope: Scope
    kind: ActionKind
    ids: list[str] = field(default_factory=list)
    detail: str = ""
    prompt: str = ""  # the justification prompt the call answered, if one applied


class VerbsBase:
    """The shared state of the workbench's verb groups."""

    settings: Settings
    data_dir: Path
    context: Context
    _backends: Backends

    def _cover_later(self, act: Act, why: str) -> None:
        """Queue a cover job for the reader sets this change gives (the system runs
        it, on behalf of this action: its event names the job)."""
        job = cover_later(self._backends, why, act.scope.context.request_id)
        if job is not None:
            act.detail = f"{act.detail} cover=job:{job.id}".strip()

    @contextmanager
    def _writing(self, progress: Progress) -> Iterator[None]:
        """Hold the data directory's writer lock; a wait shows as a progress task."""
        waited: list[str] = []

        def on_wait(message: str) -> None:
            waited.append(message)
            progress.begin(message, None, "waits")

        with writer_lock(self.data_dir, on_wait):
            if waited:
                progress.end()
            yield

    @property
    def store(self) -> Store:
        """The statement store, opened on first use."""
        return self._backends.store

    @property
    def index(self) -> SearchIndex:
        """The search index, opened on first use."""
        return self._backends.index

    @property
    def accountability(self) -> Accountability:
        """Access, cases and the audit log."""
        return self._backends.accountability

    @contextmanager
    def _act(
        self,
        kind: ActionKind,
        action: str,
        *,
        personal: bool = True,
        case: str | None = None,
        alters: bool = False,
    ) -> Iterator[Act]:
        """Scope a call to the acting context and record it when it ends.

        `case` is the case a call is about (a case verb's own argument): the call then
        acts inside it, whatever case the context named, with its purpose and sources.
        A call that is refused or fails, for any reason, is recorded with the refusal
        or the error; a call whose event cannot be written raises `AuditWriteError`
        instead of returning. A call that changes data (collection, alteration,
        erasure, or `alters`) first records that it starts: if that cannot be written,
        nothing changes, and if its final event cannot be, the change is still on
        record.
        """
        accountability = self.accountability
        context = self.context.with_request()
        if case is not None:
            context = replace(context, case=case)
        act = Act(accountability.begin(context, kind, action, personal=personal), kind)
        prompts, answer = accountability.prompts, context.justification
        if alters or kind in CHANGING:
            # A change's prompt is answered before anything changes.
            asked = prompts.before(action, kind)
            try:
                act.prompt = prompts.check(action, asked, answer)
            except JustificationRequired as refusal:
                accountability.record(
                    act.scope, kind, action, (), outcome=f"denied: {refusal}", prompt=refusal.prompt
                )
                raise
            accountability.record(
                act.scope, kind, action, act.ids, outcome="started", prompt=act.prompt
            )
        try:
            yield act
            # A result's prompt is answered before it leaves, now that it is known
            # (how many entities an export names, whether a graph combined collections).
            asked = prompts.after(action, act.kind, len(act.ids))
            if asked is not None:
                act.prompt = asked[1]
                prompts.check(action, asked, answer)
        except AuditWriteError:
            raise
        except Exception as error:
            refused = isinstance(error, AccessDenied | JustificationRequired)
            why = "denied" if refused else "failed"
            accountability.record(
                act.scope, act.kind, action, act.ids, outcome=f"{why}: {error}", prompt=act.prompt
            )
            raise
        accountability.record(
            act.scope, act.kind, action, act.ids, detail=act.detail, prompt=act.prompt
        )

    @staticmethod
    def _require_admin(scope: Scope, action: str) -> None:
        """Refuse unless the principal administers (the local admin always does)."""
        if not scope.principal.local:
            require_admin(scope.principal, action)

    # Visibility helpers ------------------------------------------------------------

    def _visible(self, scope: Scope, entity_id: str) -> tuple[Entity, list[str]]:
        """The entity (merged over its members) as the scope sees it, and the members
        it sees: only statements of readable datasets. Unseen means not found.

        A member asked for by its own id must be readable itself: otherwise ids of
        unreadable records could be probed for what they were merged with. (The
        canonical id is what search hits and exports name, so it always leads here.)
        """
        judgements = self.store.judgements
        canonical = judgements.canonical([entity_id])[entity_id]
        members = judgements.members(canonical)
        loaded = load_entities(self.store, members)
        rows = []
        seen = []
        for member in members:
            if member in loaded:
                mine = scope.rows(loaded[member].statements)
                if mine:
                    seen.append(member)
                    rows.extend(mine)
        if not rows or (entity_id != canonical and entity_id not in seen):
            raise NotFoundError(f"No entity with id {entity_id!r}")
        names = next(iter(loaded.values())).source_names
        return assemble(canonical, rows, names), seen

    def _whole(self, scope: Scope, entity_ids: Iterable[str], level: Level) -> None:
        """Refuse unless every statement of these records is in datasets the scope
        reads and the principal holds `level` on (judging needs write)."""
        ids = list(entity_ids)
        found = self.store.statements_for(ids)
        for entity_id in ids:
            rows = found.get(entity_id, [])
            if not scope.rows(rows):
                raise NotFoundError(f"No entity with id {entity_id!r}")
            datasets = {r.dataset for r in rows}
            if len(scope.rows(rows)) != len(rows) or not all(
                scope.principal.local or can(scope.principal, level, d) for d in datasets
            ):
                raise AccessDenied(
                    scope.actor,
                    f"entity {entity_id!r}",
                    level.label,
                    "it has records in collections you cannot " + level.label,
                )

    @staticmethod
    def _limit(scope: Scope, datasets: Collection[str] | None) -> Collection[str] | None:
        """A caller's dataset filter narrowed to what the scope reads."""
        if scope.readable is None:
            return datasets
        if datasets is None:
            return scope.readable
        return scope.readable & frozenset(datasets)
