"""The tip store's interface: the triage queue and its decisions."""

from __future__ import annotations

from typing import Protocol

from threadline.tips.records import Tip, TipStatus


class TipStore(Protocol):
    """Tips and their files; the bytes themselves are in the vault."""

    def add(self, tip: Tip) -> None:
        """Store a new tip with its files, together."""

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
    ) -> Tip:
        """Reject a new tip or mark it opened as a case; `TipError` unless it is new."""

    def close(self) -> None:
        """Release what the store holds."""
