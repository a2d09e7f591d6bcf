"""The case layer's errors, under threadline's error tree.

Refusals of a user who is not a member of a case are `AccessDenied`, from the access
layer, so a caller handles every refusal the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from threadline.errors import NotFoundError, ThreadlineError


class CaseError(ThreadlineError):
    """A case, note, pin or task that cannot be made as asked."""


class CaseNotFound(CaseError, NotFoundError):
    """A case, task or pin the case store does not hold."""


class UnknownCitation(CaseError):
    """A note cites statements or entities that do not exist (or are out of reach)."""

    def __init__(self, kind: str, ids: Iterable[str], what: str = "the note cites") -> None:
        self.kind = kind
        self.ids = tuple(sorted(ids))
        shown = ", ".join(self.ids[:5]) + (" ..." if len(self.ids) > 5 else "")
        super().__init__(
            f"{what} {len(self.ids)} unknown {kind} id(s): {shown}"
            " (not found, or out of the case's reach)"
        )
