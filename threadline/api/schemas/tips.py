"""Wire models of tips (`/tips`): the sender's receipt and the triage group's view."""

from __future__ import annotations

from pydantic import Field

from threadline.api.schemas.wire import Wire
from threadline.app.verbs.tip_upkeep import TipPurge
from threadline.app.verbs.tips import TipOpened
from threadline.tips import Tip, TipFile


class TipReceipt(Wire):
    """What a sender gets back: the tip's reference, and what was kept of it."""

    id: str
    received_at: str
    files: int
    kept: list[str]


class TipFileOut(Wire):
    """One file of a tip: name as sent (made safe), hash, size, detected kind."""

    position: int
    name: str
    sha256: str
    size: int
    kind: str

    @classmethod
    def of(cls, file: TipFile) -> TipFileOut:
        return cls(
            position=file.position,
            name=file.name,
            sha256=file.sha256,
            size=file.size,
            kind=file.kind,
        )


class TipOut(Wire):
    """A tip in the triage queue, with the decision on it."""

    id: str
    received_at: str
    text: str
    status: str
    client: str | None
    decided_by: str | None
    decided_at: str | None
    reason: str
    case_id: str | None
    dataset: str | None
    files: list[TipFileOut]

    @classmethod
    def of(cls, tip: Tip) -> TipOut:
        return cls(
            id=tip.id,
            received_at=tip.received_at,
            text=tip.text,
            status=tip.status.value,
            client=tip.client,
            decided_by=tip.decided_by,
            decided_at=tip.decided_at,
            reason=tip.reason,
            case_id=tip.case_id,
            dataset=tip.dataset,
            files=[TipFileOut.of(f) for f in tip.files],
        )


class TipRejectIn(Wire):
    """`tip_reject(tip_id, reason)`."""

    reason: str = Field(min_length=1, max_length=2000)


class TipCaseIn(Wire):
    """`tip_case(tip_id, name=, purpose=)`."""

    name: str | None = Field(default=None, max_length=200)
    purpose: str | None = Field(default=None, max_length=1000)


class TipCaseOut(Wire):
    """A tip opened as a case: the tip, the case and what was pinned, text first;
    `repeated` when an earlier call had opened it (nothing new was made)."""

    tip: TipOut
    case_id: str
    pinned: list[str]
    repeated: bool
    message: str

    @classmethod
    def of(cls, opened: TipOpened) -> TipCaseOut:
        return cls(
            tip=TipOut.of(opened.tip),
            case_id=opened.case.id,
            pinned=list(opened.pinned),
            repeated=opened.repeated,
            message=opened.message,
        )


class TipPurgeOut(Wire):
    """A purge of tips past retention: the tips deleted (or that would be, in a dry
    run), the files they brought, and the cut-off."""

    days: int
    before: str
    tips: list[str]
    files: int
    dry_run: bool

    @classmethod
    def of(cls, done: TipPurge) -> TipPurgeOut:
        return cls(
            days=done.days,
            before=done.before,
            tips=list(done.tips),
            files=done.files,
            dry_run=done.dry_run,
        )
