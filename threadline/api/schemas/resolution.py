"""Wire models of resolution: judgements, the review queue, explanations."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from threadline.api.schemas.wire import Wire
from threadline.resolve.explain import Explanation
from threadline.resolve.judgement import Judgement
from threadline.store.judgements import ReviewItem


class JudgementIn(Wire):
    """A decision about two entities."""

    left: str = Field(min_length=1, max_length=200)
    right: str = Field(min_length=1, max_length=200)
    verdict: Literal["same", "not-same", "unsure"]
    reason: str | None = Field(default=None, max_length=2000)


class JudgementOut(Wire):
    """A recorded decision; `deleted_at` is set once it is undone."""

    id: str
    left: str
    right: str
    verdict: str
    actor: str
    created_at: str
    score: float | None
    reason: str | None
    deleted_at: str | None
    deleted_by: str | None

    @classmethod
    def of(cls, j: Judgement) -> JudgementOut:
        return cls(
            id=j.id,
            left=j.left,
            right=j.right,
            verdict=j.verdict.value,
            actor=j.actor,
            created_at=j.created_at,
            score=j.score,
            reason=j.reason,
            deleted_at=j.deleted_at,
            deleted_by=j.deleted_by,
        )


class ReviewItemOut(Wire):
    """A candidate pair waiting for a reviewer."""

    left: str
    right: str
    weight: float
    rule: int

    @classmethod
    def of(cls, item: ReviewItem) -> ReviewItemOut:
        return cls(left=item.left, right=item.right, weight=item.weight, rule=item.rule)


class FeatureOut(Wire):
    """One comparison's outcome for the pair, with the values it compared."""

    name: str
    description: str
    level: int
    label: str
    weight: float
    left: Any
    right: Any


class ExplanationOut(Wire):
    """Why two entities score as they do."""

    left: str
    right: str
    features: list[FeatureOut]
    prior_weight: float
    total_weight: float
    probability: float
    decision: str
    blocking: list[str]
    status: str
    judgements: list[JudgementOut]
    model_history: list[str]

    @classmethod
    def of(cls, e: Explanation) -> ExplanationOut:
        return cls(
            left=e.left,
            right=e.right,
            features=[FeatureOut.model_validate(f, from_attributes=True) for f in e.features],
            prior_weight=e.prior_weight,
            total_weight=e.total_weight,
            probability=e.probability,
            decision=e.decision,
            blocking=e.blocking,
            status=e.status,
            judgements=[JudgementOut.of(j) for j in e.judgements],
            model_history=e.model_history,
        )
