"""What a tip is, its files and where its triage stands, as plain records.

A tip is what an anonymous sender gave the public form: text and up to a few files.
It waits as `new` in the triage queue until a member of the triage group rejects it
(with a reason) or opens a case with it; either decision is final and names who took
it and when. While a case is being made of it, it is `opening`: claimed by one call,
so a second call (a double click, a retried request) waits for that case instead of
making another. `client` is the sender's address, kept only when the operator says so.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from threadline.tips.errors import TipError

MAX_REASON_CHARS = 2000
ANONYMOUS = "(anonymous)"  # the actor of a tip's arrival in the audit log


class TipStatus(StrEnum):
    """Where a tip stands in triage."""

    NEW = "new"
    REJECTED = "rejected"
    OPENED = "opened"  # turned into a case
    OPENING = "opening"  # a case is being made of it (claimed by one call)


def now() -> str:
    """The current UTC time, ISO 8601 to the microsecond: the queue is ordered by it,
    and two tips in one second must still come newest first (32 characters)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_tip_id() -> str:
    """A random id: 16 hex digits, too many to guess another sender's tip."""
    return secrets.token_hex(8)


@dataclass(frozen=True)
class TipFile:
    """One file of a tip: its name as sent (made safe), hash, size and detected kind."""

    tip_id: str
    position: int
    name: str
    sha256: str
    size: int
    kind: str  # the documents ingest's format name: pdf, zip, text, other...


@dataclass(frozen=True)
class Tip:
    """One tip, its files, and the triage decision on it, if any. While it is
    `opening`, `decided_at` is the claim's time, which also tells claims apart."""

    id: str
    received_at: str
    text: str
    status: TipStatus = TipStatus.NEW
    client: str | None = None
    decided_by: str | None = None
    decided_at: str | None = None
    reason: str = ""
    case_id: str | None = None
    dataset: str | None = None
    files: tuple[TipFile, ...] = ()

    @property
    def dataset_name(self) -> str:
        """The collection the tip's documents go to when it is opened as a case."""
        return self.dataset or f"tip-{self.id}"


def new_tip(
    text: str, files: list[TipFile], client: str | None, *, tip_id: str | None = None
) -> Tip:
    """A new tip; it must say something or bring a file."""
    tip_id = tip_id or new_tip_id()
    if not text.strip() and not files:
        raise TipError("text: a tip needs some text or at least one file")
    placed = tuple(
        TipFile(tip_id, n, f.name, f.sha256, f.size, f.kind) for n, f in enumerate(files, 1)
    )
    return Tip(tip_id, now(), text.strip(), client=client, files=placed)


def check_reason(reason: str) -> str:
    """A rejection's reason: said, and not too long."""
    reason = reason.strip()
    if not reason:
        raise TipError("reason: say why the tip is rejected")
    if len(reason) > MAX_REASON_CHARS:
        raise TipError(f"reason: at most {MAX_REASON_CHARS} characters")
    return reason


def what_is_kept(keep_ip: bool) -> list[str]:
    """What the server keeps of a tip, as the form and the receipt say it."""
    kept = [
        "the text you write",
        "the files you attach, unchanged, with their names",
        "the time the tip arrived",
    ]
    if keep_ip:
        kept.append("the network address your tip came from")
    return kept
