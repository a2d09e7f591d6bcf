"""Tip verbs: take an anonymous tip in; list, read, reject it, or open a case with it.

Anyone may send a tip (the public form is the only way in without an account): it is
checked against the caps before anything is kept, its files are kept by sha256 in the
data directory, and its arrival is audited under `(anonymous)`, with no address
unless the operator keeps them. Only members of the configured triage group (and the
local admin) may touch the queue; reading tips is reading personal data, so it needs
a case or a stated purpose where one is required. Opening a case ingests the tip's
text and files as documents into a collection of their own and pins the text first.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from threadline.access import AccessDenied
from threadline.app.accountability import Scope
from threadline.app.verbs.cases import CaseVerbs
from threadline.app.verbs.tipcase import stage, staged_documents
from threadline.audit import ActionKind
from threadline.cases import Case
from threadline.errors import InputError
from threadline.tips import (
    SQLTipStore,
    Tip,
    TipFile,
    TipStatus,
    TipStore,
    Vault,
    check_file,
    new_tip,
)
from threadline.tips.errors import TipError
from threadline.tips.records import ANONYMOUS, check_reason, new_tip_id
from threadline.tips.vault import FOLDER

if TYPE_CHECKING:
    from threadline.ingest import FileReport

COLLECTION = ActionKind.COLLECTION
CONSULTATION = ActionKind.CONSULTATION
ALTERATION = ActionKind.ALTERATION


@dataclass(frozen=True)
class TipOpened:
    """A tip turned into a case: the tip (now `opened`), the case, and what was pinned
    (the tip's text first, then its files' documents, in the order sent)."""

    tip: Tip
    case: Case
    pinned: tuple[str, ...]


class TipVerbs(CaseVerbs):
    """The tip intake and its triage queue."""

    if TYPE_CHECKING:

        def ingest(
            self,
            paths: Sequence[Path | str],
            dataset: str | None = None,
            *,
            confine_to: Path | None = None,
        ) -> list[FileReport]: ...

    @property
    def _tips(self) -> TipStore:
        lazy = self._backends.lazy
        if "tips" not in lazy:
            # Beside the access tables, on their engine (closed with them).
            engine = getattr(self.accountability.access, "engine", "sqlite://")
            lazy["tips"] = SQLTipStore(engine)
        store: TipStore = lazy["tips"]
        return store

    @property
    def _vault(self) -> Vault:
        return Vault(self.data_dir)

    def tip_submit(
        self, text: str, files: Sequence[tuple[str, Path]] = (), client: str | None = None
    ) -> Tip:
        """Take a tip in: `text` and `(name, path)` files, checked against the caps of
        the settings and the malicious-file caps of document ingest, then moved into
        the vault. `client` (the sender's address) is kept only if `tips_keep_ip`."""
        s = self.settings
        if not s.tips_enabled:
            raise TipError("tip intake is not enabled on this server")
        if len(text) > s.tips_max_text_chars:
            raise InputError("text", f"is longer than the {s.tips_max_text_chars:,} allowed")
        if len(files) > s.tips_max_files:
            raise InputError("files", f"a tip may bring at most {s.tips_max_files} files")
        kinds = []
        for name, path in files:  # every file is checked before any is kept
            if path.stat().st_size > s.tips_max_file_bytes:
                raise InputError(
                    name, f"is larger than the {s.tips_max_file_bytes:,} bytes allowed"
                )
            kinds.append(check_file(path, name))
        if not text.strip() and not files:
            raise TipError("text: a tip needs some text or at least one file")
        tip_id = new_tip_id()
        # On record before anything is kept: if the event cannot be written, nothing is.
        context = self.context.with_request()
        ids = [f"tip:{tip_id}"]

        def record(outcome: str, detail: str = "") -> None:
            self.accountability.record_context(
                context,
                COLLECTION,
                "tip.submit",
                ids,
                outcome=outcome,
                actor=ANONYMOUS,
                detail=detail,
            )

        record("started")
        try:
            kept = []
            for (name, path), kind in zip(files, kinds, strict=True):
                sha, size = self._vault.keep(path)
                kept.append(TipFile("", 0, name, sha, size, kind))
            tip = new_tip(text, kept, client if s.tips_keep_ip else None, tip_id=tip_id)
            self._tips.add(tip)
        except Exception as error:
            record(f"failed: {error}")
            raise
        record(
            "ok", f"files={len(tip.files)} chars={len(tip.text)} ip_kept={tip.client is not None}"
        )
        return tip

    def _triage(self, scope: Scope) -> None:
        """Refuse anyone but the triage group's members and the local admin."""
        group = self.settings.tips_group
        if scope.principal.local or (group is not None and group in scope.principal.groups):
            return
        needed = f"membership of the group {group!r}" if group else "a triage group (tips_group)"
        raise AccessDenied(scope.actor, "the tip queue", needed)

    def tip_list(self, status: str | None = None, limit: int = 100) -> list[Tip]:
        """The tips in the queue, newest first (only `status` ones: new, rejected,
        opened); a read of what senders wrote, so it needs a case or a purpose."""
        known = [s.value for s in TipStatus]
        if status and status not in known:
            raise TipError(f"status: {status!r} is none of {', '.join(known)}")
        wanted = TipStatus(status) if status else None
        if limit < 1:
            raise ValueError("limit must be at least 1")
        with self._act(CONSULTATION, "tip.list") as act:
            self._triage(act.scope)
            found = self._tips.tips(wanted, limit)
            act.ids = [f"tip:{t.id}" for t in found]
        return found

    def tip_show(self, tip_id: str) -> Tip:
        """One tip with its files and the decision on it."""
        with self._act(CONSULTATION, "tip.read") as act:
            act.ids = [f"tip:{tip_id}"]
            self._triage(act.scope)
            tip = self._tips.tip(tip_id)
        return tip

    def tip_reject(self, tip_id: str, reason: str) -> Tip:
        """Reject a new tip, saying why; it stays on record, with its files."""
        with self._act(ALTERATION, "tip.reject", personal=False) as act:
            act.ids = [f"tip:{tip_id}"]
            self._triage(act.scope)
            why = check_reason(reason)
            tip = self._tips.decide(tip_id, TipStatus.REJECTED, act.scope.actor, reason=why)
            act.detail = self.accountability.hashed("reason", why)
        return tip

    def tip_case(
        self, tip_id: str, *, name: str | None = None, purpose: str | None = None
    ) -> TipOpened:
        """Open a case with a new tip: its text and files are ingested as documents
        into the collection `tip-ID`, a case reaching that collection is opened
        (owned by the caller), and the text is pinned as its first evidence, then
        each file's document. Each step is audited as its own verb, under this one."""
        with self._act(ALTERATION, "tip.case") as act:
            act.ids = [f"tip:{tip_id}"]
            self._triage(act.scope)
            tip = self._tips.tip(tip_id)
            if tip.status is not TipStatus.NEW:
                raise TipError(f"tip {tip_id} is {tip.status.value}; only a new tip opens a case")
            dataset = tip.dataset_name
            inner = copy.copy(self)  # as `Workbench.acting`: shared backends, no case
            inner.context = replace(self.context, case=None)
            folder = self.data_dir / FOLDER / "staging" / tip.id
            shutil.rmtree(folder, ignore_errors=True)  # what an interrupted attempt left
            try:
                staged = stage(tip, self._vault, folder)
                inner.ingest([folder], dataset, confine_to=folder)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            case = inner.case_create(
                name or f"Tip {tip.id}",
                purpose or act.scope.purpose or f"Assess tip {tip.id}",
                [dataset],
            )
            pinned = []
            for doc_id, comment in staged_documents(self.store, staged, dataset):
                inner.case_pin(case.id, doc_id, comment)
                pinned.append(doc_id)
            tip = self._tips.decide(
                tip.id, TipStatus.OPENED, act.scope.actor, case_id=case.id, dataset=dataset
            )
            act.ids += [f"case:{case.id}", f"dataset:{dataset}", *pinned]
        return TipOpened(tip, case, tuple(pinned))
