"""Resolution: the review queue, judgements (and undoing them), and explanations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas import ExplanationOut, JudgementIn, JudgementOut, ReviewItemOut

router = APIRouter(tags=["resolution"], responses=responses())

EntityQuery = Annotated[str, Query(min_length=1, max_length=200)]


@router.get("/review", response_model=list[ReviewItemOut])
def review(
    bench: Bench,
    limit: Annotated[int, Query(ge=0, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[ReviewItemOut]:
    """`Workbench.review(limit, offset)`: pairs waiting for a reviewer, most uncertain
    first; only pairs whose records the caller may read whole."""
    return [ReviewItemOut.of(item) for item in bench.review(limit, offset)]


@router.post("/judgements", response_model=JudgementOut, status_code=201)
def judge(bench: Bench, body: JudgementIn) -> JudgementOut:
    """`Workbench.judge(left, right, verdict, reason=)`: the two are the same, not the
    same, or unsure."""
    judgement = bench.judge(body.left, body.right, body.verdict, reason=body.reason)
    return JudgementOut.of(judgement)


@router.delete("/judgements/{judgement_id}", response_model=JudgementOut)
def undo(
    bench: Bench, judgement_id: Annotated[str, Path(min_length=1, max_length=200)]
) -> JudgementOut:
    """`Workbench.undo(judgement_id)`: undo a judgement; facts are never touched."""
    return JudgementOut.of(bench.undo(judgement_id))


@router.get("/judgements", response_model=list[JudgementOut])
def judgements(
    bench: Bench,
    entity_id: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    include_undone: bool = False,
    cluster: bool = False,
) -> list[JudgementOut]:
    """`Workbench.judgements(entity_id, include_undone=, cluster=)`: oldest first."""
    found = bench.judgements(entity_id, include_undone=include_undone, cluster=cluster)
    return [JudgementOut.of(j) for j in found]


@router.get("/explain", response_model=ExplanationOut)
def explain(bench: Bench, left: EntityQuery, right: EntityQuery) -> ExplanationOut:
    """`Workbench.explain(left, right)`: every feature, the blocking rule, the decision."""
    return ExplanationOut.of(bench.explain(left, right))
