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

from collections.abc import Sequence
from pathlib import Path

from threadline.app.verbs.tipcase import TipCaseVerbs, TipOpened
from threadline.audit import ActionKind
from threadline.errors import InputError
from threadline.tips import Tip, TipFile, TipStatus, check_file, new_tip
from threadline.tips.errors import TipError, TipNotFound
from threadline.tips.idempotency import check_key, differs, keyed_tip_id
from threadline.tips.records import ANONYMOUS, check_reason, new_tip_id
from threadline.tips.vault import digest

__all__ = ["TipOpened", "TipVerbs"]

COLLECTION = ActionKind.COLLECTION
CONSULTATION = ActionKind.CONSULTATION
ALTERATION = ActionKind.ALTERATION


class TipVerbs(TipCaseVerbs):
    """The tip intake and its triage queue."""

    def tip_submit(
        self,
        text: str,
        files: Sequence[tuple[str, Path]] = (),
        client: str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Tip:
        """Take a tip in: `text` and `(name, path)` files, checked against the caps of
        the settings and the malicious-file caps of document ingest, then moved into
        the vault. `client` (the sender's address) is kept only if `tips_keep_ip`.
        Sent again with the same `idempotency_key` (a retry), it returns the tip the
        first sending made and keeps nothing new; with other text or files, it is
        refused."""
        s = self.settings
        if not s.tips_enabled:
            raise TipError("tip intake is not enabled on this server")
        key = None if idempotency_key is None else check_key(idempotency_key)
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
        if key is None:
            tip_id = new_tip_id()
        else:
            tip_id = keyed_tip_id(self.accountability.hashed("tip-key", key))
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
            earlier = self._earlier(tip_id, text, files) if key is not None else None
            if earlier is not None:
                record("ok", "repeated: the tip this key sent before; nothing kept")
                return earlier
            kept = []
            for (name, path), kind in zip(files, kinds, strict=True):
                sha, size = self._vault.keep(path)
                kept.append(TipFile("", 0, name, sha, size, kind))
            tip = new_tip(text, kept, client if s.tips_keep_ip else None, tip_id=tip_id)
            if not self._tips.add(tip):  # the same key's other sending came first
                try:
                    earlier = self._earlier(tip_id, text, kept)
                finally:
                    self._discard({f.sha256 for f in kept})  # only those no tip names
                assert earlier is not None
                record("ok", "repeated: the tip this key sent before; nothing kept")
                return earlier
        except Exception as error:
            record(f"failed: {error}")
            raise
        record(
            "ok", f"files={len(tip.files)} chars={len(tip.text)} ip_kept={tip.client is not None}"
        )
        return tip

    def _earlier(
        self, tip_id: str, text: str, files: Sequence[tuple[str, Path]] | Sequence[TipFile]
    ) -> Tip | None:
        """The tip an idempotency key made before, if any; `TipError` if it was sent
        with other text or files than these."""
        try:
            found = self._tips.tip(tip_id)
        except TipNotFound:
            return None
        shas = [f.sha256 if isinstance(f, TipFile) else digest(f[1])[0] for f in files]
        if differs(found, text, shas):
            raise TipError(
                "Idempotency-Key: this key was sent before with another tip; "
                "a new tip needs a new key"
            )
        return found

    def tip_list(self, status: str | None = None, limit: int = 100) -> list[Tip]:
        """The tips in the queue, newest first (only `status` ones: new, opening,
        rejected, opened); a read of what senders wrote, so it needs a case or a purpose."""
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
