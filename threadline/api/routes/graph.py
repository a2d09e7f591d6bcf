"""Link analysis: an entity's neighbours, and the best paths between two entities.

Filters are those of every graph verb: link `types` and `datasets` (repeat the
parameter or separate with commas), a date the links hold `at`, a window `between`
(`D1..D2`), and whether to follow `derived` links (shared address, identifier...).

A request never builds a large link graph view: while a job worker builds it, the
answer is 503 with Retry-After and how far the build is (`view_builds`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas import PathsOut, SubgraphOut
from threadline.app.verbs.graph import view_builds
from threadline.graph.scope import Filters

router = APIRouter(prefix="/graph", tags=["graph"], responses=responses())

Names = Annotated[list[str] | None, Query(max_length=50)]
EntityQuery = Annotated[str, Query(min_length=1, max_length=200)]


def _split(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def filters(
    types: Names = None,
    datasets: Names = None,
    at: Annotated[str | None, Query(max_length=32, description="YYYY[-MM[-DD]]")] = None,
    between: Annotated[
        str | None, Query(max_length=65, pattern=r"^[^.]+\.\.[^.]+$", description="D1..D2")
    ] = None,
    derived: bool = True,
) -> Filters:
    """The graph filters from the query string."""
    window = None if between is None else tuple(between.split("..", 1))
    found = Filters(types=_split(types), datasets=_split(datasets), at=at, derived=derived)
    if window is not None:
        found["between"] = (window[0], window[1])
    return found


GraphFilters = Annotated[Filters, Depends(filters)]


@router.get("/neighbours", response_model=SubgraphOut)
def neighbours(
    bench: Bench,
    entity_id: EntityQuery,
    found: GraphFilters,
    depth: Annotated[int, Query(ge=1, le=4)] = 1,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> SubgraphOut:
    """`Workbench.graph_neighbours(entity_id, depth=, limit=, **filters)`."""
    result = view_builds(bench, background=True).graph_neighbours(
        entity_id, depth=depth, limit=limit, **found
    )
    return SubgraphOut.of(result)


@router.get("/path", response_model=PathsOut)
def path(
    bench: Bench,
    source: EntityQuery,
    target: EntityQuery,
    found: GraphFilters,
    max_hops: Annotated[int, Query(ge=1, le=12)] = 6,
    k: Annotated[int, Query(ge=1, le=20, description="How many paths, best first.")] = 3,
) -> PathsOut:
    """`Workbench.graph_path(source, target, max_hops=, k=, **filters)`: the k best
    paths, ranked and explained."""
    result = view_builds(bench, background=True).graph_path(
        source, target, max_hops=max_hops, k=k, **found
    )
    return PathsOut.of(result)
