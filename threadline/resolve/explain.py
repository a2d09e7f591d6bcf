"""Explanations: why a pair scores as it does, feature by feature."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from threadline.resolve.comparisons import COMPARISONS
from threadline.resolve.judgement import Judgement
from threadline.resolve.model import Model
from threadline.resolve.relations import COMMON, ORG

# Which prepared columns show the values a comparison looked at.
SHOWN = {
    "first_name": ("first",),
    "last_name": ("last",),
    "org_name": ("org_key",),  # name_key holds people's names too
    "birth_date": ("dob",),
    "identifier": ("idents",),
    "address": ("addr",),
    "address_tokens": ("addr_tokens",),
    "relations": ("rel_names",),
    "postcode": ("postcode",),
    "city": ("city",),
    "contact": ("email", "phone"),
    "country": ("country",),
}


@dataclass(frozen=True)
class Feature:
    """One comparison's outcome for the pair."""

    name: str
    description: str
    level: int
    label: str
    weight: float  # log2 Bayes factor this level adds (0 when a side has no value)
    left: Any
    right: Any


@dataclass
class Explanation:
    """Everything that decided a pair."""

    left: str
    right: str
    features: list[Feature]
    prior_weight: float
    total_weight: float
    probability: float
    decision: str  # what the thresholds say: merge, review or drop
    blocking: list[str]  # the blocking rules whose keys agree; empty: never compared
    status: str  # where the pair stands now: same cluster or not, and why
    judgements: list[Judgement] = field(default_factory=list)
    model_history: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able form."""
        return {
            "left": self.left,
            "right": self.right,
            "features": [f.__dict__ for f in self.features],
            "prior_weight": self.prior_weight,
            "total_weight": self.total_weight,
            "probability": self.probability,
            "decision": self.decision,
            "blocking": self.blocking,
            "status": self.status,
            "judgements": [
                {
                    "id": j.id,
                    "left": j.left,
                    "right": j.right,
                    "verdict": j.verdict.value,
                    "actor": j.actor,
                    "created_at": j.created_at,
                    "score": j.score,
                }
                for j in self.judgements
            ],
            "model": self.model_history,
        }


def features(
    model: Model,
    levels: list[int],
    left: dict[str, Any],
    right: dict[str, Any],
    name_shares: list[float] | None = None,
) -> list[Feature]:
    """Per comparison: level, label, weight, and the values compared."""
    shares = None if name_shares is None else [name_shares]
    return features_many(model, np.array([levels], dtype=np.int8), [(left, right)], shares)[0]


def features_many(
    model: Model,
    levels: npt.NDArray[np.int8],
    pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]],
    name_shares: Sequence[Sequence[float]] | None = None,
) -> list[list[Feature]]:
    """`features` of many pairs (`levels[n]` and `name_shares[n]` those of `pairs[n]`),
    their weights computed in one go."""
    if not len(pairs):
        return []
    tf = None if name_shares is None else np.array(name_shares, dtype=np.float64)
    weights = model.feature_weights(levels, tf).tolist()
    labels = [[c.label(g) for g in range(-1, c.size)] for c in COMPARISONS]
    found = []
    for row, row_weights, (left, right) in zip(levels.tolist(), weights, pairs, strict=True):
        found.append(
            [
                Feature(
                    name=comparison.name,
                    description=comparison.description,
                    level=level,
                    label=labels[n][level + 1],
                    weight=round(weight, 3),
                    left=_values(left, SHOWN[comparison.name]),
                    right=_values(right, SHOWN[comparison.name]),
                )
                for n, (comparison, level, weight) in enumerate(
                    zip(COMPARISONS, row, row_weights, strict=True)
                )
            ]
        )
    return found


def _values(record: dict[str, Any], columns: tuple[str, ...]) -> Any:
    values = [_shown(c, record.get(c)) for c in columns if record.get(c) is not None]
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def _shown(column: str, value: Any) -> Any:
    """A prepared value as a reader sees it: neighbour names without the prefix that
    tells organisations from people inside the comparison (relations.ORG)."""
    if column == "rel_names" and isinstance(value, list):
        return [
            v.removeprefix(ORG).removeprefix(COMMON) if isinstance(v, str) else v for v in value
        ]
    return value
