"""Turning a tip into a case: its text and files laid out in a folder for document
ingest, the document each became pinned in the case, once.

A tip becomes one case however often it is asked to: the first call claims the tip
(`opening`, one conditional update), so a second call at the same time waits for that
call's case, and a call after it gets the case the tip records. The case is noted on
the tip as soon as it is made, so a retry after a failure further on goes on with it
instead of opening another. A claim whose call died is taken over after `STALE_CLAIM`.
"""

from __future__ import annotations

import copy
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from threadline.app.verbs.base import Act
from threadline.app.verbs.cases import CaseVerbs
from threadline.app.verbs.tip_upkeep import TipUpkeepVerbs
from threadline.audit import ActionKind
from threadline.cases import Case
from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import document_id
from threadline.ingest.namespace import DatasetNamespace
from threadline.store import Store
from threadline.tips import Tip, TipStatus, Vault
from threadline.tips.errors import TipError
from threadline.tips.vault import FOLDER, private_folder

if TYPE_CHECKING:
    from threadline.ingest import FileReport

TEXT_NAME = "tip.txt"
STALE_CLAIM = timedelta(hours=1)  # a claim this old belongs to a call that died
WAIT_SECONDS = 120.0  # how long a second call waits for the first one's case
POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Staged:
    """One file laid out for ingest: the id of the document it becomes (before the
    dataset signs it) and what its pin will say."""

    document_id: str
    comment: str


def stage(tip: Tip, vault: Vault, folder: Path) -> list[Staged]:
    """Lay the tip out in `folder`: its text as `tip.txt`, each file as `N/name`
    (its place in the tip, so two files of one name stay two). The text comes first."""
    private_folder(folder)
    staged: list[Staged] = []
    if tip.text:
        text = folder / TEXT_NAME
        text.write_text(tip.text, encoding="utf-8")
        staged.append(Staged(_document(text), f"The tip as received on {tip.received_at}"))
    for file in tip.files:
        placed = folder / str(file.position) / file.name
        vault.place(file.sha256, placed)
        staged.append(Staged(_document(placed), f"File {file.name!r} sent with the tip"))
    return staged


def _document(path: Path) -> str:
    return document_id(Blob(path.name, path.name, file=path), None)


def staged_documents(store: Store, staged: list[Staged], dataset: str) -> Iterator[tuple[str, str]]:
    """The (document id, comment) of each staged file that ingest made a document of
    in `dataset`, in order, each once. Ingest signs ids with the dataset unless the
    local admin ingested them, so both forms are looked for."""
    namespace = DatasetNamespace(dataset)
    seen: set[str] = set()
    for item in staged:
        candidates = [item.document_id, namespace.sign(item.document_id)]
        found = store.statements_for(candidates)
        for candidate in candidates:
            rows = found.get(candidate, [])
            if candidate not in seen and any(r.dataset == dataset for r in rows):
                seen.add(candidate)
                yield candidate, item.comment
                break


@dataclass(frozen=True)
class TipOpened:
    """A tip turned into a case: the tip (now `opened`), the case, and what was pinned
    (the tip's text first, then its files' documents, in the order sent). `repeated`
    when an earlier call had made the case: this one made nothing."""

    tip: Tip
    case: Case
    pinned: tuple[str, ...]
    repeated: bool = False

    @property
    def message(self) -> str:
        """What happened, in a sentence for the CLI and the pages."""
        if self.repeated:
            return (
                f"tip {self.tip.id} was already opened as case {self.case.id} "
                f"by {self.tip.decided_by} on {self.tip.decided_at}; nothing new was made"
            )
        return f"opened case {self.case.name!r} with {len(self.pinned)} pins"


class TipCaseVerbs(CaseVerbs, TipUpkeepVerbs):
    """Opening a case with a tip, once."""

    if TYPE_CHECKING:

        def ingest(
            self,
            paths: Sequence[Path | str],
            dataset: str | None = None,
            *,
            confine_to: Path | None = None,
        ) -> list[FileReport]: ...

    def tip_case(
        self, tip_id: str, *, name: str | None = None, purpose: str | None = None
    ) -> TipOpened:
        """Open a case with a new tip: its text and files are ingested as documents
        into the collection `tip-ID`, a case reaching that collection is opened
        (owned by the caller), and the text is pinned as its first evidence, then
        each file's document. Each step is audited as its own verb, under this one.
        Asked again (a retry, a double click, two triagers at once), it returns the
        one case the tip became, `repeated`, and makes nothing."""
        with self._act(ActionKind.ALTERATION, "tip.case") as act:
            act.ids = [f"tip:{tip_id}"]
            self._triage(act.scope)
            deadline = time.monotonic() + WAIT_SECONDS
            while True:
                tip = self._tips.tip(tip_id)
                if tip.status is TipStatus.OPENED:
                    return self._already(act, tip)
                if tip.status is TipStatus.REJECTED:
                    raise TipError(
                        f"tip {tip_id} was rejected by {tip.decided_by} on {tip.decided_at}; "
                        "only a new tip opens a case"
                    )
                stale = (datetime.now(UTC) - STALE_CLAIM).isoformat(timespec="microseconds")
                claim = self._tips.claim(tip_id, act.scope.actor, stale)
                if claim is not None:
                    break
                if time.monotonic() > deadline:
                    raise TipError(
                        f"tip {tip_id} is being opened as a case by {tip.decided_by} since "
                        f"{tip.decided_at}; try again in a moment"
                    )
                time.sleep(POLL_SECONDS)  # another call is making the case: wait for it
            try:
                opened = self._open_tip(act, tip, claim, name, purpose)
            except BaseException:
                self._tips.release(tip_id, claim)
                raise
        return opened

    def _already(self, act: Act, tip: Tip) -> TipOpened:
        assert tip.case_id is not None
        case = self.accountability.cases.case(tip.case_id)
        if case.role_of(act.scope.actor) is None:
            # Another triager's case: say who opened it, but nothing of the case.
            act.detail = "repeated: opened by another triager, not shown"
            raise TipError(
                f"tip {tip.id} was already opened as a case by {tip.decided_by} on "
                f"{tip.decided_at}; ask them to add you to it"
            )
        pins = tuple(p.entity_id for p in self.accountability.cases.pins(case.id))
        act.ids += [f"case:{case.id}"]
        act.detail = f"repeated: already opened as case {case.id}"
        return TipOpened(tip, case, pins, repeated=True)

    def _open_tip(
        self, act: Act, tip: Tip, claim: str, name: str | None, purpose: str | None
    ) -> TipOpened:
        """The steps of opening, under the claim: ingest, the case (or the one an
        earlier failed try made), the pins not made yet, then the tip `opened`."""
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
        cases = self.accountability.cases
        if tip.case_id is not None:
            case = cases.case(tip.case_id)
        else:
            case = inner.case_create(
                name or f"Tip {tip.id}",
                purpose or act.scope.purpose or f"Assess tip {tip.id}",
                [dataset],
            )
            self._tips.note_case(tip.id, claim, case.id, dataset)
        done = {p.entity_id for p in cases.pins(case.id)}
        pinned = []
        for doc_id, comment in staged_documents(self.store, staged, dataset):
            if doc_id not in done:
                inner.case_pin(case.id, doc_id, comment)
            pinned.append(doc_id)
        opened = self._tips.decide(
            tip.id, TipStatus.OPENED, act.scope.actor, case_id=case.id, dataset=dataset, claim=claim
        )
        act.ids += [f"case:{case.id}", f"dataset:{dataset}", *pinned]
        return TipOpened(opened, case, tuple(pinned))
