"""Sharing verbs: hand a case to another threadline as a signed bundle, import one,
and print the key other instances must trust (docs/sharing.md).

A share is a disclosure inside its case: only the case's sources the sharer may read
are looked at, markings then decide what may go to the recipient, and the audit event
names the recipient before the bundle is written. An import checks the signature and
the sender's key before anything is written, and writes statements and sources in one
transaction. An import gives its importer new collections to read, so it queues a
`cover` job for the reader sets that gives (`threadline.app.jobs.cover`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from threadline.access import AccessDenied, Level, Role, require
from threadline.app import indexer
from threadline.app.accountability import Scope
from threadline.app.originals import Originals, recover
from threadline.app.verbs.cases import CaseVerbs
from threadline.app.verbs.markings import markings_of
from threadline.audit import ActionKind, utc_timestamp
from threadline.audit.keys import key_id
from threadline.audit.trust import TrustedKeys
from threadline.cases import Case, CaseRole, require_member
from threadline.cases.errors import CaseNotFound
from threadline.cases.share import (
    MAX_MEMBER_BYTES,
    SIGNED_PREFIX,
    BundleError,
    Member,
    manifest_bytes,
    read_bundle,
    write_bundle,
)
from threadline.cases.sharefiles import bundle_files, wanted_files
from threadline.cases.shareimport import ImportPlan, plan_import
from threadline.cases.sharepolicy import apply_policy
from threadline.cases.sharereport import ImportReport, ShareKey, ShareReport
from threadline.errors import InputError
from threadline.model.provenance import SourceInfo
from threadline.model.statement import StatementRow
from threadline.progress import NoProgress, Progress

RECIPIENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


class SharingVerbs(CaseVerbs):
    """Signed case bundles between threadline instances."""

    def case_key(self) -> ShareKey:
        """This instance's public key (the audit checkpoint key), which signs its bundles."""
        keyring = self.accountability.keyring
        public = keyring.current_public()
        name = self.settings.instance_name or key_id(public)
        pem = keyring.current_public_pem().decode("ascii")
        return ShareKey(name, key_id(public), keyring.current_fingerprint(), pem)

    def case_share(
        self, case_id: str, to: Path | str, recipient: str | None = None, files: bool = True
    ) -> ShareReport:
        """Write a signed bundle of the case for `recipient`: pinned entities, the
        statements they and the notes cite (full provenance), notes and sources, and
        the kept original files of the shared documents (none with `files=False`).
        Markings the recipient may not hold, and `no-share`, keep data home; the
        bundle lists what stayed (counts and ids, never values)."""
        who = (recipient or "").strip()
        if who and not RECIPIENT.fullmatch(who):
            raise InputError(
                "recipient", f"{who!r} is not a name: use 1-64 letters, digits or ._@-"
            )
        allowed = frozenset(self.settings.share_recipients.get(who, [])) if who else frozenset()
        with self._act(ActionKind.DISCLOSURE, "case.share", case=case_id) as act:
            case = self._open(act)
            reach = self._reach(act)
            store = self.accountability.cases
            pins, notes = store.pins(case.id), store.notes(case.id)
            wanted = list(
                dict.fromkeys([p.entity_id for p in pins] + [e for n in notes for e in n.entities])
            )
            cited = {s for n in notes for s in n.statements}
            view = self._view(reach, self._in_view(case.id, pins))
            rows = {r.id: r for r in self._statements(reach, wanted + self._pages_of(wanted))}
            rows.update({r.id: r for r in view.rows if r.id in cited and r.dataset in reach})
            members = self._members(wanted)
            markings = markings_of(act.scope)
            shared = apply_policy(rows.values(), pins, notes, markings, allowed, members)
            sources = self.store.sources()
            originals, kept_home = self._original_files(shared.rows, sources) if files else ({}, [])
            contents = bundle_files(case, shared, sources, markings, members, originals, kept_home)
            key = self.case_key()
            header = {
                "instance": {
                    "id": key.key_id,
                    "name": key.instance,
                    "public_key": key.public_key,
                    "fingerprint": key.fingerprint,
                },
                "case": {"id": case.id, "name": case.name},
                "recipient": who or None,
                "created": utc_timestamp(),
                "created_by": act.scope.actor,
            }
            manifest = manifest_bytes(header, contents)
            _, signature = self.accountability.keyring.sign(SIGNED_PREFIX + manifest)
            act.ids += list(dict.fromkeys(r.entity_id for r in shared.rows))
            act.detail = (
                f"recipient={who or '(unnamed)'} statements={len(shared.rows)} "
                f"withheld={shared.withheld} files={len(originals)} key={key.fingerprint}"
            )
        # Written only once the disclosure is on record.
        path = write_bundle(Path(to), manifest, signature, contents)
        counts = (len(shared.rows), len(shared.pins), len(shared.notes))
        withheld = {**shared.report(), "files": kept_home}
        return ShareReport(path, who, *counts, withheld=withheld, files=len(originals))

    def _pages_of(self, ids: Collection[str]) -> list[str]:
        """The `Page` entities of these documents: a shared PDF keeps its text per page."""
        found = (self.store.references(entity_id) for entity_id in ids)
        pages = (r.entity_id for refs in found for r in refs if r.schema == "Page")
        return list(dict.fromkeys(p for p in pages if p not in ids))

    def _original_files(
        self, rows: Collection[StatementRow], sources: Collection[SourceInfo]
    ) -> tuple[dict[str, Member], list[dict[str, str]]]:
        """The kept files of the shared documents (an attachment taken out of its
        kept container if need be), and those that stay home, with why."""
        kept = Originals(self.data_dir)
        names = {s.sha256: s.name for s in sources}
        packed: dict[str, Member] = {}
        home: list[dict[str, str]] = []
        for wanted in wanted_files(rows):
            why = ""
            path = None
            if wanted.container:
                why = "an archive or folder: its file holds members that were not shared"
            else:
                path = recover(kept, wanted.root, names.get(wanted.root, ""), wanted.sha256)
                if path is None:
                    why = "the original file is not kept on this instance"
                elif path.stat().st_size > MAX_MEMBER_BYTES:
                    why = f"larger than {MAX_MEMBER_BYTES:,} bytes, the most a bundle carries"
            if path is not None and not why:
                packed[wanted.sha256] = path
            else:
                home.append({"entity_id": wanted.entity_id, "sha256": wanted.sha256, "reason": why})
        return packed, home

    def _members(self, ids: Collection[str]) -> dict[str, list[str]]:
        """The records merged under each of these ids."""
        judgements = self.store.judgements
        canonical = judgements.canonical(list(ids))
        return {i: judgements.members(canonical[i]) for i in ids}

    def case_import(
        self, path: Path | str, trust: str | None = None, progress: Progress | None = None
    ) -> ImportReport:
        """Import a shared case bundle: the signature is checked against the sender's
        key, which must be trusted (`share_trusted_keys`, or `trust`: a fingerprint or
        a public key file). Importing the same bundle again changes nothing."""
        path = Path(path)
        specs = [s for s in (self.settings.share_trusted_keys, trust) if s]
        trusted = [TrustedKeys.parse(s, name="trusted sharing key") for s in specs]
        with (
            self._writing(progress or NoProgress()),
            self._act(ActionKind.COLLECTION, "case.import", personal=False) as act,
        ):
            bundle = read_bundle(path)  # a tampered bundle is refused (and on record)
            if not any(t.trusts(bundle.public_key) for t in trusted):
                raise BundleError(
                    path,
                    f"signed by the unknown key {bundle.fingerprint}; if you trust its "
                    "sender, import with --trust and their key file or fingerprint",
                )
            plan = plan_import(bundle, str(path), act.scope.actor, utc_timestamp())
            if not plan.rows:
                raise BundleError(path, "holds no statements (everything was withheld)")
            act.ids = [f"case:{plan.case.id}", *(f"dataset:{d}" for d in sorted(plan.markings))]
            self._may_import(act.scope, plan)
            # Originals first (content-addressed, so harmless if the rest fails).
            kept = Originals(self.data_dir)
            if self.settings.keep_originals:
                for data in plan.originals.values():
                    kept.keep_bytes(data)
            with self.store.writer() as writer:  # one transaction: all or nothing
                writer.add(plan.rows)
                for source in plan.sources:
                    writer.add_source(source)
            self._file_case(act.scope, plan)
            entity_ids = {r.entity_id for r in plan.rows}
            indexer.update(self.store, self.index, self.settings, entity_ids, NoProgress())
            files = len(plan.originals) if self.settings.keep_originals else 0
            act.detail = (
                f"from={plan.instance} key={plan.fingerprint} statements={len(plan.rows)} "
                f"files={files}"
            )
            self._cover_later(act, "case.import")
        return ImportReport(
            plan.case.id,
            plan.instance,
            plan.fingerprint,
            sorted(plan.markings),
            len(plan.rows),
            len(plan.pins),
            len(plan.notes),
            plan.withheld,
            files,
        )

    def _may_import(self, scope: Scope, plan: ImportPlan) -> None:
        """Refuse a viewer, a dataset name already used by anything but this case's
        earlier import, and a re-import by someone who is not the case's editor."""
        if scope.principal.role is Role.VIEWER:
            raise AccessDenied(scope.actor, "import", "role investigator")
        try:
            earlier: Case | None = self.accountability.cases.case(plan.case.id)
        except CaseNotFound:
            earlier = None
        if earlier is not None:  # imported before: only its editors may add to it
            require_member(earlier, scope.principal, CaseRole.EDITOR)
        mine = earlier.sources if earlier is not None else frozenset()
        for dataset in plan.markings:
            if dataset in scope.known and dataset not in mine:
                raise AccessDenied(
                    scope.actor, f"collection {dataset!r}", "a new dataset", "the name is taken"
                )
            if dataset in mine and not scope.principal.local:
                require(scope.principal, Level.WRITE, dataset)

    def _file_case(self, scope: Scope, plan: ImportPlan) -> None:
        """Register the datasets with their markings, then the case, pins and notes
        that are not there yet (so a second import adds nothing)."""
        accountability = self.accountability
        for dataset, markings in sorted(plan.markings.items()):
            accountability.add_collection(dataset)
            for marking in sorted(markings):
                accountability.set_marking(dataset, marking)
            if not scope.principal.local:
                accountability.access.grant(scope.actor, dataset, Level.MANAGE)
                # The origin marking is new with this import: its importer holds it.
                accountability.access.set_held(scope.actor, f"origin-{plan.instance}")
        cases = accountability.cases
        try:
            cases.case(plan.case.id)
        except CaseNotFound:
            cases.add_case(plan.case)
        pinned = {p.entity_id for p in cases.pins(plan.case.id)}
        for pin in plan.pins:
            if pin.entity_id not in pinned:
                cases.add_pin(pin)
        noted = {n.id for n in cases.notes(plan.case.id)}
        for note in plan.notes:
            if note.id not in noted:
                cases.add_note(note)
