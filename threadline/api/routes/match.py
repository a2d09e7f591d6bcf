"""A yente-compatible match API: `POST /match/{dataset}` and `GET /algorithms`, so that
screening clients and nomenklatura's yente enricher work against threadline (point
them at `<server>/api/v1`). Scores come from threadline's resolver, as `explain` gives
them; each query is one audited consultation; `dataset` is a collection, or `default`
for every collection the caller may read. Open to other origins (see `crossorigin`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from threadline.api.crossorigin import OpenBench
from threadline.api.errors import responses
from threadline.api.schemas.match import (
    AlgorithmOut,
    AlgorithmsResponse,
    EntityMatches,
    MatchRequest,
    MatchResponse,
    matcher,
)
from threadline.screening import ALGORITHM_NAME
from threadline.verbs.matching import MAX_IDS, MAX_LIMIT

router = APIRouter(tags=["match"], responses=responses())

Names = Annotated[list[str], Query(max_length=50)]
DATE = r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2})?)?)?)?)?$"


@router.post("/match/{dataset}", response_model=MatchResponse)
def match(
    bench: OpenBench,
    response: Response,
    body: MatchRequest,
    dataset: Annotated[
        str, Path(min_length=1, max_length=200, description="A collection, or `default`: all.")
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 5,
    threshold: Annotated[
        float | None, Query(ge=0, le=1, description="Default: the resolver's merge threshold.")
    ] = None,
    cutoff: Annotated[float, Query(ge=0, lt=1, description="Leave out scores up to this.")] = 0.0,
    algorithm: Annotated[
        Literal["threadline-resolver", "best", "default"], Query(description=ALGORITHM_NAME)
    ] = "best",
    include_dataset: Names = [],  # noqa: B006 - FastAPI copies defaults per request
    exclude_dataset: Names = [],  # noqa: B006
    exclude_schema: Names = [],  # noqa: B006
    changed_since: Annotated[str | None, Query(pattern=DATE)] = None,
    exclude_entity_ids: Annotated[list[str], Query(max_length=MAX_IDS)] = [],  # noqa: B006
    fuzzy: Annotated[
        bool,
        Query(
            description="Accepted for yente clients; names are always matched with typos allowed."
        ),
    ] = True,
) -> MatchResponse:
    """`Workbench.match(queries, ...)`: each query (a schema and property values, keys
    as the client likes) scored against the candidates the caller may read, with the
    resolver's per-feature weights (`features`, `explanations`); `match` is a score at
    or above `threshold`, `total` counts the matches."""
    results = bench.match(
        {key: example.data() for key, example in body.queries.items()},
        dataset=dataset,
        limit=limit,
        threshold=threshold,
        cutoff=cutoff,
        include_dataset=include_dataset,
        exclude_dataset=exclude_dataset,
        exclude_schema=exclude_schema,
        changed_since=changed_since,
        exclude_entity_ids=exclude_entity_ids,
    )
    response.headers["X-Batch-Size"] = str(len(results))
    return MatchResponse(
        responses={key: EntityMatches.of(result) for key, result in results.items()},
        matcher=matcher(bench.match_algorithms()[0]),
        limit=limit,
    )


@router.get("/algorithms", response_model=AlgorithmsResponse)
def algorithms(bench: OpenBench) -> AlgorithmsResponse:
    """`Workbench.match_algorithms()`: the one scoring algorithm, threadline's resolver,
    with each feature's description and current full-agreement weight."""
    return AlgorithmsResponse(algorithms=[AlgorithmOut.of(a) for a in bench.match_algorithms()])
