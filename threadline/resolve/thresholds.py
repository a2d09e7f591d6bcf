"""Decision thresholds: merge automatically, queue for review, or drop."""

from __future__ import annotations

import math
from dataclasses import dataclass


def weight_of(probability: float) -> float:
    """The match weight (log2 odds) of a probability."""
    return math.log2(probability / (1 - probability))


@dataclass(frozen=True)
class Thresholds:
    """Probabilities that decide a pair's fate."""

    merge: float = 0.99  # at or above: merged automatically
    review: float = 0.5  # from here up to `merge`: queued for a reviewer
    average: float = 0.5  # two clusters join only if their mean pair weight is at least this

    def __post_init__(self) -> None:
        for name in ("merge", "review", "average"):
            value = getattr(self, name)
            if not 0 < value < 1:
                raise ValueError(f"threshold {name} must lie strictly between 0 and 1")
        if self.review > self.merge:
            raise ValueError("the review threshold must not exceed the merge threshold")

    @property
    def merge_weight(self) -> float:
        """`merge` as a match weight."""
        return weight_of(self.merge)

    @property
    def review_weight(self) -> float:
        """`review` as a match weight."""
        return weight_of(self.review)

    @property
    def average_weight(self) -> float:
        """`average` as a match weight."""
        return weight_of(self.average)

    def decide(self, weight: float) -> str:
        """merge, review or drop."""
        if weight >= self.merge_weight:
            return "merge"
        if weight >= self.review_weight:
            return "review"
        return "drop"
