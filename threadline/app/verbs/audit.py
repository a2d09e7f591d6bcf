"""Audit verbs: read and verify the log, answer who accessed an entity, and erase.

Reading the log is itself an audited consultation. Erasure deletes statements and
every derived view built from them, and the erased ids (and free text naming them)
from every earlier audit event, whose leaves stay verifiable (`threadline.audit.seal`);
the erasure's own event names only salted hashes of the erased ids. Tips naming an
erased person lose those values, their sender's address and their files, and subject
reports list the tips naming the person (`threadline.app.verbs.tip_upkeep`).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from threadline.access import Level, require
from threadline.app import indexer
from threadline.app.originals import forget_originals
from threadline.app.verbs.tip_upkeep import TipUpkeepVerbs
from threadline.audit import ActionKind, AuditEvent, Checkpoint, VerifyReport
from threadline.audit.pages import read_page
from threadline.audit.query import AuditFilter, AuditPage, AuditQuery, Listed
from threadline.audit.rows import event_row
from threadline.audit.subject import LOG_ACTIONS, SubjectReport
from threadline.errors import NotFoundError, ThreadlineError
from threadline.model.statement import StatementRow
from threadline.progress import NoProgress, Progress

# What counts as someone having seen an entity.
ACCESS_KINDS = frozenset({ActionKind.CONSULTATION, ActionKind.COMBINATION, ActionKind.DISCLOSURE})
SUBJECT_LIMIT = 1_000  # events a subject report lists (it counts them all)
# Values of these types name a person or thing; free text in the log holding one of an
# erased record's goes with it. Shorter values would match too much unrelated text.
PERSONAL_TYPES = frozenset({"name", "identifier", "email", "phone", "address", "iban"})
MIN_TEXT = 4


@dataclass(frozen=True)
class AuditExport:
    """An export of the log: how many rows it holds (as on record), and the rows."""

    count: int
    rows: Iterator[tuple[str, ...]]

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return self.rows


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure removed."""

    dataset: str | None
    entities: int
    statements: int


class AuditVerbs(TipUpkeepVerbs):
    """The accountability record, and erasure."""

    def audit_log(
        self,
        filters: AuditFilter | None = None,
        *,
        limit: int | None = None,
        before: int | None = None,
        after: int | None = None,
    ) -> AuditPage:
        """A page of events answering `filters`, newest first: the newest `limit` (all
        if None), or those just older than the `before` cursor or newer than `after`;
        with the total that match. Admins only."""
        filters = filters or AuditFilter()
        with self._act(ActionKind.CONSULTATION, "audit.log", personal=False) as act:
            self._require_admin(act.scope, "read the audit log")
            query, ids = self._query(filters)
            log = self.accountability.log
            page = read_page(log, query, limit=limit, before=before, after=after)
            act.ids = sorted(ids)
            act.detail = f"filter={filters.describe()} shown={len(page.events)} total={page.total}"
        return page

    def audit_export(self, filters: AuditFilter | None = None) -> AuditExport:
        """Every event answering `filters`, oldest first, as rows to write out (CSV); a
        disclosure on record, with the filter and the row count, before any row leaves.
        Admins only, with a purpose where one is required."""
        filters = filters or AuditFilter()
        with self._act(ActionKind.DISCLOSURE, "audit.export") as act:
            self._require_admin(act.scope, "export the audit log")
            query, ids = self._query(filters)
            log = self.accountability.log
            # Only what the log holds now: the count on record is the rows that leave.
            end = log.size()
            count = log.count(query, before=end)
            act.ids = sorted(ids)
            act.detail = f"format=csv filter={filters.describe()} rows={count}"
        rows = (
            event_row(Listed(e.index, e.event()))
            for e in log.select(query, before=end, newest_first=False)
        )
        return AuditExport(count, rows)

    def audit_subject(self, entity_id: str, *, limit: int = SUBJECT_LIMIT) -> SubjectReport:
        """Everything on record about an entity (or the merged entity it belongs to):
        reads, searches that returned it, disclosures, merges, case work; with dates,
        actors, cases and purposes. Newest first, at most `limit`. With the tips
        naming the person by one of its values, and where. Admins only."""
        with self._act(ActionKind.CONSULTATION, "audit.subject", personal=False) as act:
            self._require_admin(act.scope, "see a subject report")
            ids = self._cluster(entity_id)
            act.ids = sorted(ids)
            query = AuditQuery(object_ids=frozenset(ids), hide_prefix=LOG_ACTIONS)
            log = self.accountability.log
            found = [Listed(e.index, e.event()) for e in log.select(query, limit=limit)]
            total = log.count(query) if len(found) == limit else len(found)
            rows = [r for group in self.store.statements_for(sorted(ids)).values() for r in group]
            named = [record for record, _ in self._tips_naming(*personal_values(rows))]
            act.ids += [f"tip:{n.id}" for n in named]
        return SubjectReport(entity_id, tuple(sorted(ids)), found, total, tuple(named))

    def audit_who_accessed(self, entity_id: str) -> list[AuditEvent]:
        """Every consultation, combination or disclosure of the entity, or of the
        merged entity it belongs to: date, actor, case and purpose. Admins only."""
        with self._act(ActionKind.CONSULTATION, "audit.who-accessed", personal=False) as act:
            self._require_admin(act.scope, "see who accessed an entity")
            ids = self._cluster(entity_id)
            act.ids = sorted(ids)
            query = AuditQuery(
                kinds=ACCESS_KINDS, object_ids=frozenset(ids), outcome="ok", hide_prefix=LOG_ACTIONS
            )
            found = [e.event() for e in self.accountability.log.select(query, newest_first=False)]
        return found

    def _query(self, filters: AuditFilter) -> tuple[AuditQuery, set[str]]:
        """The checked query of a filter, its entity widened to the records merged with
        it, and those ids (empty without an entity)."""
        ids = self._cluster(filters.entity_id) if filters.entity_id else set()
        return filters.query(ids), ids

    def _cluster(self, entity_id: str) -> set[str]:
        judgements = self.store.judgements
        canonical = judgements.canonical([entity_id])[entity_id]
        return {entity_id, canonical, *judgements.members(canonical)}

    def audit_verify(
        self, *, trusted_key: str | None = None, witness: str | None = None
    ) -> VerifyReport:
        """Check the whole log against its signed checkpoints (admins only), trusting only
        `trusted_key` (fingerprints or PEM files) and against the `witness` URL's latest
        cosigned checkpoint; both default to the settings."""
        with self._act(ActionKind.CONSULTATION, "audit.verify", personal=False) as act:
            self._require_admin(act.scope, "verify the audit log")
            report = self.accountability.verify(trusted_key, witness)
            act.detail = f"ok={report.ok} entries={report.entries}"
        return report

    def audit_checkpoint(self) -> Checkpoint:
        """Sign a checkpoint of the log now (admins only)."""
        with self._act(ActionKind.ALTERATION, "audit.checkpoint", personal=False) as act:
            self._require_admin(act.scope, "checkpoint the audit log")
        return self.accountability.checkpoint()

    def audit_rotate_key(self) -> str:
        """Sign future checkpoints with a new key (admins only); returns its id."""
        with self._act(ActionKind.ALTERATION, "audit.rotate-key", personal=False) as act:
            self._require_admin(act.scope, "rotate the audit key")
            key = self.accountability.rotate_key()
            act.detail = f"key={key}"
        return key

    def erase(
        self,
        *,
        dataset: str | None = None,
        entity_id: str | None = None,
        progress: Progress | None = None,
    ) -> ErasureReport:
        """Remove a dataset's statements, or an entity's (all its records'), and rebuild
        the derived views without them. Needs `manage` on every dataset touched."""
        if (dataset is None) == (entity_id is None):
            raise ThreadlineError("erase needs exactly one of a dataset or an entity id")
        with self._act(ActionKind.ERASURE, "erase", personal=False) as act:
            scope = act.scope
            if dataset is not None:
                if dataset not in scope.known:
                    raise NotFoundError(f"No dataset named {dataset!r}")
                require(scope.principal, Level.MANAGE, dataset)
                ids: list[str] | None = None
                rows = [r for group in self.store.iter_entities(dataset) for r in group]
            else:
                assert entity_id is not None
                ids = sorted(self._cluster(entity_id))
                found = self.store.statements_for(ids)
                if not found:
                    raise NotFoundError(f"No entity with id {entity_id!r}")
                for name in sorted({r.dataset for rows in found.values() for r in rows}):
                    require(scope.principal, Level.MANAGE, name)
                rows = [r for group in found.values() for r in group]
            touched, deleted = self.store.erase(dataset, ids)
            self._forget_derived(touched, progress or NoProgress())
            salt_hash = self.accountability.hashed
            act.ids = [salt_hash("entity", i) for i in sorted(touched)]
            values = self._erase_from_log(touched, rows)
            tips = self._tips_erase(*personal_values(rows))
            act.detail = f"statements={deleted} audit_values={values} tips={tips}"
        return ErasureReport(dataset, len(touched), deleted)

    def _erase_from_log(self, touched: set[str], rows: list[StatementRow]) -> int:
        """Delete the erased records' ids, their statements' ids, and free text naming
        them or their personal values, from every earlier audit event."""
        left = self.store.statements_for(sorted(touched))  # ids still stated elsewhere stay
        gone = touched - set(left)
        ids = gone | {f"statement:{row.id}" for row in rows}
        texts, _addresses = personal_values(rows)
        # A search for exactly the value is logged as its salted hash.
        hashed = {self.accountability.hashed("query", value) for value in texts}
        return self.accountability.erase_values(ids, texts | hashed)

    def _forget_derived(self, touched: Iterable[str], progress: Progress) -> None:
        """Drop every view that copied erased values, then rebuild the search index
        (deleted documents linger in its segments until rebuilt)."""
        touched = set(touched)
        self.store.judgements.set_review(
            [
                item
                for item in self.store.judgements.review(1_000_000, 0)
                if item.left not in touched and item.right not in touched
            ]
        )
        for derived in ("resolve", "graph"):
            shutil.rmtree(self.data_dir / derived, ignore_errors=True)
        forget_originals(self.store, self.data_dir)  # the erased files' bytes and pages
        self._backends.lazy.clear()
        index = self._backends.reopen_index()
        indexer.rebuild(self.store, index, self.settings, progress)


def personal_values(rows: Iterable[StatementRow]) -> tuple[set[str], set[str]]:
    """The values of these statements that name a person or thing (long enough not to
    match unrelated text), and their network addresses (for a tip's sender)."""
    texts: set[str] = set()
    addresses: set[str] = set()
    for row in rows:
        if row.prop_type in PERSONAL_TYPES and len(row.value) >= MIN_TEXT:
            texts.add(row.value)
        elif row.prop_type == "ip":
            addresses.add(row.value)
    return texts, addresses
