"""Judgements: decisions that two entities are the same, not the same, or unsure.

A judgement never rewrites a fact. It records who decided (a user, or an algorithm with
its name, version and score) and when; undo marks it deleted and keeps it for the record.
Canonical entities are the connected components of active "same" judgements.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from threadline.errors import ThreadlineError


class Verdict(StrEnum):
    """What a judgement says about a pair."""

    SAME = "same"
    NOT_SAME = "not-same"
    UNSURE = "unsure"

    @classmethod
    def parse(cls, text: str) -> Verdict:
        """A verdict from user input; accepts not_same and notsame too."""
        key = text.strip().lower().replace("_", "-")
        if key == "notsame":
            key = "not-same"
        try:
            return cls(key)
        except ValueError:
            raise ThreadlineError(
                f"Unknown verdict {text!r}; use same, not-same or unsure"
            ) from None


ALGORITHM_PREFIX = "algorithm:"


def now() -> str:
    """UTC now as ISO 8601 with microseconds, so judgements order by time."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def pair(a: str, b: str) -> tuple[str, str]:
    """A pair in canonical order."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Judgement:
    """One decision about one pair of entity ids (left < right)."""

    id: str
    left: str
    right: str
    verdict: Verdict
    actor: str  # a user name, or "algorithm:<name>/<version>"
    created_at: str
    score: float | None = None
    reason: str | None = None
    deleted_at: str | None = None
    deleted_by: str | None = None

    @classmethod
    def make(
        cls,
        a: str,
        b: str,
        verdict: Verdict,
        actor: str,
        *,
        score: float | None = None,
        reason: str | None = None,
        created_at: str | None = None,
    ) -> Judgement:
        """A new judgement with a fresh id."""
        if a == b:
            raise ValueError(f"Cannot judge {a!r} against itself")
        left, right = pair(a, b)
        return cls(
            # 64 random bits as 16 hex digits; os.urandom, as uuid4 does, without
            # building a UUID (a run makes hundreds of thousands of judgements).
            id=os.urandom(8).hex(),
            left=left,
            right=right,
            verdict=verdict,
            actor=actor,
            created_at=created_at or now(),
            score=score,
            reason=reason,
        )

    @property
    def by_algorithm(self) -> bool:
        """Whether an algorithm (not a person) made it."""
        return self.actor.startswith(ALGORITHM_PREFIX)

    @property
    def active(self) -> bool:
        """Not undone."""
        return self.deleted_at is None

    def describe(self) -> str:
        """One line naming the judgement for messages."""
        return (
            f"judgement {self.id} ({self.left} {self.verdict.value} {self.right}, "
            f"by {self.actor} at {self.created_at})"
        )
