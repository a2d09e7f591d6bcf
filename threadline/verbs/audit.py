"""Audit verbs: read and verify the log, answer who accessed an entity, and erase.

Reading the log is itself an audited consultation. Erasure deletes statements and
every derived view built from them, and the erased ids (and free text naming them)
from every earlier audit event, whose leaves stay verifiable (`threadline.audit.seal`);
the erasure's own event names only salted hashes of the erased ids.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass

from threadline import indexer
from threadline.access import Level, require
from threadline.audit import ActionKind, AuditEvent, Checkpoint, VerifyReport
from threadline.errors import NotFoundError, ThreadlineError
from threadline.model.statement import StatementRow
from threadline.progress import NoProgress, Progress
from threadline.verbs.base import VerbsBase

# What counts as someone having seen an entity.
ACCESS_KINDS = frozenset({ActionKind.CONSULTATION, ActionKind.COMBINATION, ActionKind.DISCLOSURE})
# Reading the log about an entity shows who saw it, not the entity: not an access.
LOG_ACTIONS = "audit."
# Values of these types name a person or thing; free text in the log holding one of an
# erased record's goes with it. Shorter values would match too much unrelated text.
PERSONAL_TYPES = frozenset({"name", "identifier", "email", "phone", "address", "iban"})
MIN_TEXT = 4


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure removed."""

    dataset: str | None
    entities: int
    statements: int


class AuditVerbs(VerbsBase):
    """The accountability record, and erasure."""

    def audit_log(
        self,
        *,
        actor: str | None = None,
        entity_id: str | None = None,
        limit: int | None = None,
    ) -> list[AuditEvent]:
        """Events, oldest first: all, or one actor's, or those naming an entity (or
        any record merged with it). Admins only."""
        with self._act(ActionKind.CONSULTATION, "audit.log", personal=False) as act:
            self._require_admin(act.scope, "read the audit log")
            ids = self._cluster(entity_id) if entity_id else None
            found = [
                e
                for e in self.accountability.events()
                if (actor is None or e.actor == actor)
                and (ids is None or not ids.isdisjoint(e.object_ids))
            ]
            if limit is not None:
                found = found[-limit:]
            act.ids = sorted(ids or [])
        return found

    def audit_who_accessed(self, entity_id: str) -> list[AuditEvent]:
        """Every consultation, combination or disclosure of the entity, or of the
        merged entity it belongs to: date, actor, case and purpose. Admins only."""
        with self._act(ActionKind.CONSULTATION, "audit.who-accessed", personal=False) as act:
            self._require_admin(act.scope, "see who accessed an entity")
            ids = self._cluster(entity_id)
            act.ids = sorted(ids)
            found = [
                e
                for e in self.accountability.events()
                if e.kind in ACCESS_KINDS
                and e.outcome == "ok"
                and not e.action.startswith(LOG_ACTIONS)
                and not ids.isdisjoint(e.object_ids)
            ]
        return found

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
            act.detail = f"statements={deleted} audit_values={values}"
        return ErasureReport(dataset, len(touched), deleted)

    def _erase_from_log(self, touched: set[str], rows: list[StatementRow]) -> int:
        """Delete the erased records' ids, their statements' ids, and free text naming
        them or their personal values, from every earlier audit event."""
        left = self.store.statements_for(sorted(touched))  # ids still stated elsewhere stay
        gone = touched - set(left)
        ids = gone | {f"statement:{row.id}" for row in rows}
        texts: set[str] = set()
        for row in rows:
            if row.prop_type in PERSONAL_TYPES and len(row.value) >= MIN_TEXT:
                texts.add(row.value)
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
        self._backends.lazy.clear()
        index = self._backends.reopen_index()
        indexer.rebuild(self.store, index, self.settings, progress)
