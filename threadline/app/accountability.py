"""Accountability: who is acting, what they may reach, and the audit event of each call.

The workbench asks `begin` at the start of every call: it resolves the context's
principal from the access store (never cached, so a revocation takes effect on the
next call), opens the case if one is named, checks the purpose, and returns the
`Scope` the call may read. `record` writes the call's audit event; if that fails the
call fails too, before anything is returned. A refused call is recorded as well.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from threadline.access import (
    LOCAL_USER,
    AccessDenied,
    AccessStore,
    Principal,
    SQLAccessStore,
    UnknownName,
)
from threadline.app.context import Context, os_user
from threadline.app.prompts import Prompts
from threadline.audit import (
    ActionKind,
    AuditError,
    AuditEvent,
    AuditLog,
    AuditWriteError,
    Checkpoint,
    Checkpointer,
    CheckpointPlaces,
    CheckpointPolicy,
    Keyring,
    SQLAuditLog,
    VerifyReport,
    audit_url,
    load_salt,
    redact,
    utc_timestamp,
)
from threadline.audit.anchored import audit_anchors, audit_witness, verify_anchored
from threadline.audit.keys import PUBLIC_DIR
from threadline.cases import Case, CaseStore, SQLCaseStore, case_scope
from threadline.errors import ThreadlineError
from threadline.model.statement import StatementRow
from threadline.settings import Settings

LOCAL_TTL = 1.0  # seconds the local admin's principal is reused
KEYS_DIR = "audit-keys"
CHECKPOINTS_DIR = "audit-checkpoints"
Row = TypeVar("Row", bound=StatementRow)


SYSTEM_ACTOR = "(system)"


@dataclass(frozen=True)
class Outage:
    """A stretch in which audit writes failed, so every action was refused."""

    first: str
    last: str
    refused: int

    def event(self, os_user: str) -> AuditEvent:
        """The event that names the window, written before the first event after it."""
        return AuditEvent(
            actor=SYSTEM_ACTOR,
            kind=ActionKind.ALTERATION,
            action="audit.outage",
            detail=f"first={self.first} last={self.last} refused={self.refused}",
            os_user=os_user,
        )


class PurposeRequired(ThreadlineError):
    """A read of personal data without a case or a stated purpose, where one is required."""


@dataclass(frozen=True)
class Scope:
    """What one call may reach: the principal, its case and purpose, and the readable
    datasets (`readable` None: every dataset, for the local admin outside a case)."""

    context: Context
    principal: Principal
    case: Case | None
    purpose: str | None
    readable: frozenset[str] | None
    # Every dataset in the store, read only when a call needs it (the local admin's
    # search never does), but then fresh: another process may have ingested one.
    source: Callable[[], frozenset[str]] = field(default=frozenset, repr=False, compare=False)

    @cached_property
    def known(self) -> frozenset[str]:
        """Every dataset in the store."""
        return self.source()

    @property
    def actor(self) -> str:
        """The acting user's name."""
        return self.principal.name

    @property
    def hidden(self) -> frozenset[str]:
        """The known datasets this call may not read."""
        return frozenset() if self.readable is None else self.known - self.readable

    @property
    def datasets(self) -> frozenset[str]:
        """The known datasets this call may read."""
        return self.known if self.readable is None else self.known & self.readable

    def sees(self, dataset: str) -> bool:
        """Whether this call may read `dataset`."""
        return self.readable is None or dataset in self.readable

    def rows(self, rows: Iterable[Row]) -> list[Row]:
        """The statements this call may read."""
        if self.readable is None:
            return list(rows)
        return [r for r in rows if r.dataset in self.readable]

    def markings(self, datasets: Iterable[str]) -> list[str]:
        """The markings on the given datasets, which follow their data anywhere."""
        marked = self.principal.marked
        return sorted({m for d in datasets for m in marked.get(d, frozenset())})


class Accountability:
    """The access store, the case store and the audit log of one data directory."""

    def __init__(
        self,
        settings: Settings,
        store_url: str,
        known: Callable[[], Iterable[str]],
        *,
        log: AuditLog | None = None,
    ) -> None:
        self.settings = settings
        self.data_dir = settings.resolved_data_dir()
        self._store_url = store_url
        self._known = known
        self._log = log
        self._registered: set[str] = set()
        self._appended = 0
        self._lock = threading.RLock()
        self._local: tuple[float, Principal] | None = None
        self._seen_store = False
        self._before: int | None = None  # the log's size before this process appended
        self._outage: Outage | None = None
        self.os_user = os_user()
        self.prompts = Prompts(settings.prompts, settings.bulk_export_min)

    # Places ----------------------------------------------------------------------

    @cached_property
    def access(self) -> AccessStore:
        """Users, groups, grants and markings, beside the statements."""
        return SQLAccessStore(self._store_url)

    @cached_property
    def cases(self) -> CaseStore:
        """Case files, beside the statements."""
        return SQLCaseStore(self._store_url)

    @property
    def log(self) -> AuditLog:
        """The audit log (its own SQLite file unless `audit_url` says otherwise)."""
        if self._log is None:
            url = self.settings.audit_url or audit_url(self.data_dir)
            self._log = SQLAuditLog(url, self.settings.audit_sync)
        return self._log

    @cached_property
    def keyring(self) -> Keyring:
        """The checkpoint signing keys."""
        return Keyring(self.data_dir / KEYS_DIR)

    @cached_property
    def places(self) -> CheckpointPlaces:
        """Where signed checkpoints go: the data dir and the second place, if named."""
        return CheckpointPlaces(self.data_dir / CHECKPOINTS_DIR, self.settings.checkpoint_dir)

    @cached_property
    def checkpointer(self) -> Checkpointer:
        """Signs checkpoints of the log when they are due."""
        policy = CheckpointPolicy(every_entries=self.settings.checkpoint_every)
        witness = audit_witness(self.settings.audit_witness_url, self.settings.audit_witness_key)
        return Checkpointer(
            self.log,
            self.keyring,
            self.places,
            policy,
            witness=witness,
            fresh=lambda: self._before == 0,
        )

    @cached_property
    def salt(self) -> bytes:
        """The secret salt of hashed values in the log."""
        return load_salt(self.data_dir / KEYS_DIR)

    def close(self) -> None:
        """Sign what this process appended, then release the stores."""
        try:
            if self._appended:
                self.checkpointer.checkpoint()
        except AuditError:
            # A log that no longer extends its last checkpoint is not signed: `verify`
            # names the damage. Refusing at close would only hide the command's result.
            pass
        finally:
            for name in ("access", "cases"):
                if name in self.__dict__:
                    self.__dict__.pop(name).close()
            if self._log is not None:
                self._log.close()
                self._log = None

    # Calls -----------------------------------------------------------------------

    def principal(self, context: Context) -> Principal:
        """The context's current principal: from its token if it has one.

        Only the local admin's is reused, for at most a second: it can do anything, so
        nothing can be revoked from it, and only its list of collections and their
        markings could be that old. Everyone else's is read afresh on every call.
        """
        if context.token:
            return self.access.authenticate(context.token)
        if context.actor != LOCAL_USER:
            return self.access.principal(context.actor)
        now = time.monotonic()
        cached = self._local
        if cached is None or now - cached[0] > LOCAL_TTL:
            cached = (now, self.access.principal(LOCAL_USER))
            self._local = cached
        return cached[1]

    def add_collection(self, name: str) -> bool:
        """Register a collection (True if it is new). The local admin's cached
        principal is dropped, so the next call reads the new collection at once."""
        added = self.access.add_collection(name)
        self._local = None
        return added

    def set_marking(self, collection: str, marking: str, on: bool = True) -> None:
        """Mark a collection, or unmark it; the local admin's cache is dropped too."""
        self.access.set_marking(collection, marking, on)
        self._local = None

    def known(self) -> frozenset[str]:
        """Every dataset in the store, each registered as a collection (closed by
        default to all but the local admin and admins) the first time it is seen."""
        names = frozenset(self._known())
        for name in names - self._registered:
            self.add_collection(name)
            self._registered.add(name)
        return names

    def begin(
        self, context: Context, kind: ActionKind, action: str, *, personal: bool = True
    ) -> Scope:
        """The scope of a call, or the refusal (recorded, then raised).

        `personal` calls read entity data: where a purpose is required, they need a case
        or a stated purpose.
        """
        principal: Principal | None = None
        try:
            if not self._seen_store:
                self.known()  # register datasets ingested before access control existed
                self._seen_store = True
            principal = self.principal(context)
            case = None
            if context.case:
                case = self._open_case(context.case, principal)
            purpose = case.purpose if case else (context.purpose or None)
            if personal and self.settings.require_purpose and not purpose:
                raise PurposeRequired(
                    f"{action}: state a purpose or work inside a case to read this data"
                )
            if case is not None:
                readable: frozenset[str] | None = case_scope(case, principal)
            elif principal.local:
                readable = None
            else:
                readable = principal.readable
        except (AccessDenied, PurposeRequired, UnknownName) as refusal:
            # Name the user once their token is known to be theirs, even if the case
            # or the purpose then refused them.
            actor = principal.name if principal is not None else None
            self.record_context(
                context, kind, action, (), outcome=f"denied: {refusal}", actor=actor
            )
            raise
        return Scope(context, principal, case, purpose, readable, self.known)

    def _open_case(self, case_id: str, principal: Principal) -> Case:
        try:
            return self.cases.open(case_id, principal)
        except AccessDenied as denied:
            if denied.missing != "membership":
                raise
            # Say what the refusal may mean without telling which case ids exist.
            raise AccessDenied(
                denied.user,
                denied.target,
                denied.missing,
                "there is no such case, or you are not a member of it",
            ) from None

    def record(
        self,
        scope: Scope,
        kind: ActionKind,
        action: str,
        object_ids: Sequence[str] = (),
        *,
        outcome: str = "ok",
        detail: str = "",
        prompt: str = "",
    ) -> None:
        """Write the call's event; `AuditWriteError` if it could not be written.
        `prompt` is the justification prompt the call answered."""
        self._append(
            AuditEvent(
                actor=scope.actor,
                kind=kind,
                action=action,
                object_ids=tuple(object_ids),
                case_id=scope.case.id if scope.case else None,
                purpose=scope.purpose,
                justification=scope.context.justification,
                outcome=outcome,
                request_id=scope.context.request_id,
                detail=detail,
                os_user=self.os_user if scope.principal.local else "",
                prompt=prompt,
            )
        )

    def record_many(
        self,
        scope: Scope,
        kind: ActionKind,
        action: str,
        items: Sequence[tuple[Sequence[str], str]],
    ) -> None:
        """Write one event per (object ids, detail) of a batch, in one transaction:
        a screened list's per-row consultations, without a commit per row."""
        events = [
            AuditEvent(
                actor=scope.actor,
                kind=kind,
                action=action,
                object_ids=tuple(ids),
                case_id=scope.case.id if scope.case else None,
                purpose=scope.purpose,
                justification=scope.context.justification,
                outcome="ok",
                request_id=scope.context.request_id,
                detail=detail,
                os_user=self.os_user if scope.principal.local else "",
            )
            for ids, detail in items
        ]
        if events:
            self._append(*events)

    def record_context(
        self,
        context: Context,
        kind: ActionKind,
        action: str,
        object_ids: Sequence[str] = (),
        *,
        outcome: str = "ok",
        actor: str | None = None,
        detail: str = "",
    ) -> None:
        """Write an event for a call that has no scope (it was refused); `actor` if the
        principal was resolved, else the context's name (or `(token)` for a bad token)."""
        actor = actor or (context.actor if not context.token else "(token)")
        self._append(
            AuditEvent(
                actor=actor,
                kind=kind,
                action=action,
                object_ids=tuple(object_ids),
                case_id=context.case,
                purpose=context.purpose,
                justification=context.justification,
                outcome=outcome,
                request_id=context.request_id,
                detail=detail,
            )
        )

    def _append(self, event: AuditEvent, *more: AuditEvent) -> None:
        try:
            # One writer at a time: the log's compact tree and the checkpointer are
            # shared by every thread of a server.
            with self._lock:
                if self._before is None:
                    self._before = self.log.size()  # once: may this process start a chain?
                index = self._write([event, *more])
                self._appended += 1 + len(more)
                try:
                    self.checkpointer.maybe_checkpoint(size=index + 1)
                except AuditWriteError:
                    raise
                except AuditError:
                    # The log no longer extends its last checkpoint (someone changed
                    # it): nothing is signed over the change, the event itself is on
                    # record, and `verify` names the first bad entry.
                    pass
        except AuditWriteError as error:
            raise AuditWriteError(
                f"{event.action}: the audit event could not be written, so the action "
                f"failed and nothing was returned ({error})"
            ) from error

    def _write(self, written_events: list[AuditEvent]) -> int:
        """Append the events, preceded by the outage they end, if any (one
        transaction); a failed write extends the outage. Returns the last one's index."""
        outage = self._outage
        events = written_events if outage is None else [outage.event(self.os_user), *written_events]
        try:
            written = self.log.extend(events)
        except AuditWriteError:
            now = utc_timestamp()
            if outage is None:
                self._outage = Outage(now, now, 1)
            else:
                self._outage = Outage(outage.first, now, outage.refused + 1)
            raise
        self._outage = None
        return written[-1]

    def erase_values(self, ids: Iterable[str], texts: Iterable[str]) -> int:
        """Delete erased ids from every earlier event, and free text (purposes,
        justifications, details, reasons) naming an erased id or value; the log's
        leaves and checkpoints stay valid. Returns how many values went."""
        ids = set(ids)
        with self._lock:
            return self.log.erase(ids, ids | set(texts))

    def hashed(self, label: str, value: str) -> str:
        """`label=` and a salted hash of a value the log must not hold in the clear."""
        return f"{label}={redact(value, self.salt)}"

    # The log itself ----------------------------------------------------------------

    def events(self) -> Iterable[AuditEvent]:
        """Every event in the log, oldest first."""
        for entry in self.log.entries():
            yield entry.event()

    def verify(self, trusted_key: str | None = None, witness: str | None = None) -> VerifyReport:
        """Check the whole log against the signed checkpoints in both places, with the
        operator's trusted key and the witness (arguments, else settings)."""
        self.sign_pending()  # what this process appended is signed first, as at close
        return verify_anchored(
            self.log,
            self.places,
            [self.keyring.directory / PUBLIC_DIR],
            *audit_anchors(
                trusted_key or self.settings.audit_trusted_key,
                witness or self.settings.audit_witness_url,
                self.settings.audit_witness_key,
            ),
        )

    def sign_pending(self) -> None:
        """Sign what this process appended since the last checkpoint (the server's timer)."""
        with self._lock:
            if self._appended and self._log is not None:
                try:
                    self.checkpointer.checkpoint()
                except AuditWriteError:
                    raise
                except AuditError:
                    pass  # the log no longer extends its checkpoint: verify names it

    def checkpoint(self) -> Checkpoint:
        """Sign the log's head now."""
        return self.checkpointer.checkpoint()

    def rotate_key(self) -> str:
        """Start signing with a new key; returns its id. Old checkpoints still verify."""
        return self.keyring.rotate()
