"""The tip store's interface: the triage queue and its decisions."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from threadline.tips.records import Tip, TipStatus


class TipStore(Protocol):
    """Tips and their files; the bytes themselves are in the vault."""

    def add(self, tip: Tip) -> bool:
        """Store a new tip with its files, together; False if its id is taken."""

    def tip(self, tip_id: str) -> Tip:
        """One tip with its files, or `TipNotFound`."""

    def tips(self, status: TipStatus | None = None, limit: int = 100) -> list[Tip]:
        """Tips, newest first, with their files; only those of `status` if given."""

    def decide(
        self,
        tip_id: str,
        status: TipStatus,
        by: str,
        *,
        reason: str = "",
        case_id: str | None = None,
        dataset: str | None = None,
        claim: str | None = None,
    ) -> Tip:
        """Reject a new tip or mark it opened as a case; `TipError` unless it is new
        (or being opened under `claim`)."""

    def claim(self, tip_id: str, by: str, stale_before: str) -> str | None:
        """Claim a new tip (or a claim older than `stale_before`) for opening as a
        case: the claim's time, or None if it is not claimable."""

    def note_case(self, tip_id: str, claim: str, case_id: str, dataset: str) -> None:
        """Record the case made under a claim."""

    def release(self, tip_id: str, claim: str) -> None:
        """Give a claim up: the tip is new again, with the case noted, if any."""

    def naming(self, values: Collection[str], addresses: Collection[str] = ()) -> list[Tip]:
        """Tips whose text, reason or a file's name holds a value, or from an address."""

    def page(self, after: str = "", size: int = 500) -> list[Tip]:
        """Tips in id order from just after `after`, `size` of them."""

    def redact(self, tip_id: str, values: Collection[str]) -> set[str]:
        """Blank the values, drop the address and the files: hashes no tip refers to."""

    def expired(self, before: str) -> list[Tip]:
        """New tips received, and rejected tips rejected, before `before`."""

    def remove(self, tip_ids: Collection[str]) -> set[str]:
        """Delete these new or rejected tips: hashes no tip refers to any longer."""

    def referenced(self, sha256s: Collection[str]) -> set[str]:
        """Those of these hashes a tip's file still refers to."""

    def close(self) -> None:
        """Release what the store holds."""
