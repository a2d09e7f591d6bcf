"""Tips' share of data protection: the tip store and vault, the triage check, the
tips naming a person (for subject reports and erasure), and retention.

A subject report lists the tips naming a person and where they do (text, reason,
file name, address), never what they say. An erasure of the person blanks their
values in those tips' text and reason, and removes the sender's address and the
tips' files, records and bytes, as erasure removes the files of erased records. The
audit log is not rewritten for it: it never held a tip's text. `tip_purge` deletes new
and rejected tips past `tips_retention_days` with their files; tips that became cases
are kept.
"""

from __future__ import annotations

import copy
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from threadline.access import AccessDenied
from threadline.app.accountability import Scope
from threadline.app.verbs.base import VerbsBase
from threadline.audit import ActionKind
from threadline.audit.subject import Named
from threadline.tips import SQLTipStore, TipStore, Vault
from threadline.tips.errors import TipError
from threadline.tips.naming import Needles, naming

FEW = 200  # values the database looks for in one query; more, and every tip is read
PAGE = 500  # tips read at a time when every tip is read


@dataclass(frozen=True)
class TipPurge:
    """What a purge deleted (or, in a dry run, would): tips received (new) or rejected
    before `before`, `days` ago, and how many files they brought."""

    days: int
    before: str
    tips: tuple[str, ...]
    files: int
    dry_run: bool


class TipUpkeepVerbs(VerbsBase):
    """The tip store, the triage check, and tips' erasure, subject reports and retention."""

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

    def _triage(self, scope: Scope) -> None:
        """Refuse anyone but the triage group's members and the local admin."""
        group = self.settings.tips_group
        if scope.principal.local or (group is not None and group in scope.principal.groups):
            return
        needed = f"membership of the group {group!r}" if group else "a triage group (tips_group)"
        raise AccessDenied(scope.actor, "the tip queue", needed)

    def _tips_naming(
        self, values: Collection[str], addresses: Collection[str]
    ) -> list[tuple[Named, set[str]]]:
        """The tips naming a person by one of `values` or sent from one of `addresses`,
        newest first: where each names them, and the values found in it. A few values
        are looked for by the database first; many (a whole collection's) by reading
        every tip once, a page at a time."""
        needles = Needles(values)
        if not needles and not addresses:
            return []
        if len(values) <= FEW:
            candidates = self._tips.naming(sorted(values), addresses)
        else:
            candidates = []
            after = ""
            while page := self._tips.page(after, PAGE):
                candidates += [t for t in page if naming(t, needles, addresses)[0]]
                after = page[-1].id
        found = []
        for tip in sorted(candidates, key=lambda t: (t.received_at, t.id), reverse=True):
            fields, hits = naming(tip, needles, addresses)
            if fields:  # the database's match is looser: a substring, its own case folding
                record = Named("tip", tip.id, tip.received_at, tip.status.value, tuple(fields))
                found.append((record, hits))
        return found

    def _tips_erase(self, values: Collection[str], addresses: Collection[str]) -> int:
        """Erase a person from the tips naming them; how many tips were touched."""
        named = self._tips_naming(values, addresses)
        loose: set[str] = set()
        for record, hits in named:
            loose |= self._tips.redact(record.id, hits)
        self._discard(loose)
        return len(named)

    def _discard(self, sha256s: Collection[str]) -> int:
        """Delete the bytes of files no tip refers to (checked again just before: a
        tip sent meanwhile with the same bytes keeps them)."""
        gone = set(sha256s) - self._tips.referenced(sha256s)
        return sum(self._vault.discard(sha) for sha in sorted(gone))

    def tip_purge(self, *, dry_run: bool = False) -> TipPurge:
        """Delete the tips past retention (`tips_retention_days`): new tips received,
        and rejected tips rejected, longer ago than that, with their kept files. Tips
        opened as cases stay. Admins only; on record as an erasure under the caller's
        purpose, or "Retention of tips" when none is given. `dry_run` lists them only."""
        days = self.settings.tips_retention_days
        if days is None:
            raise TipError("tips_retention_days: not set, so no tip is past retention")
        bench = self
        if self.context.purpose is None and self.context.case is None:
            bench = copy.copy(self)  # as `Workbench.acting`
            purpose = f"Retention of tips ({days} days, tips_retention_days)"
            bench.context = replace(self.context, purpose=purpose)
        return bench._purge(days, dry_run)

    def _purge(self, days: int, dry_run: bool) -> TipPurge:
        before = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="microseconds")
        kind = ActionKind.CONSULTATION if dry_run else ActionKind.ERASURE
        with self._act(kind, "tip.purge", personal=False) as act:
            self._require_admin(act.scope, "purge tips")
            expired = self._tips.expired(before)
            ids = tuple(t.id for t in expired)
            act.ids = [f"tip:{i}" for i in ids]
            files = sum(len(t.files) for t in expired)
            if not dry_run:
                self._discard(self._tips.remove(ids))
            act.detail = f"retention_days={days} before={before} tips={len(ids)} files={files}"
        return TipPurge(days, before, ids, files, dry_run)
