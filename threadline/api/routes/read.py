"""Reading: search, one entity with the provenance of every value, and the datasets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas import DatasetOut, EntityOut, SearchResponse

router = APIRouter(tags=["read"], responses=responses())

EntityId = Annotated[str, Path(min_length=1, max_length=200, description="Any member id works.")]


@router.get("/search", response_model=SearchResponse)
def search(
    bench: Bench,
    q: Annotated[
        str, Query(max_length=1000, description='Names and text; "quoted phrase" is exact.')
    ] = "",
    schema: Annotated[str | None, Query(max_length=64, description="e.g. Person")] = None,
    dataset: Annotated[str | None, Query(max_length=200)] = None,
    country: Annotated[str | None, Query(max_length=64, description="ISO code, e.g. de")] = None,
    limit: Annotated[int, Query(ge=0, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    fuzzy: Annotated[bool, Query(description="Allow typos in longer words.")] = True,
) -> SearchResponse:
    """`Workbench.search(q, ...)`: everything the caller may read, with facets and
    highlights (HTML-escaped values with the matched words in `<em>`)."""
    result = bench.search(
        q,
        schema=schema,
        dataset=dataset,
        country=country,
        limit=limit,
        offset=offset,
        fuzzy=fuzzy,
    )
    return SearchResponse.of(result, limit, offset)


@router.get("/entities/{entity_id}", response_model=EntityOut)
def entity(bench: Bench, entity_id: EntityId) -> EntityOut:
    """`Workbench.entity(entity_id)`: the merged entity, each value with its dataset,
    source file, row and statement id; its relationships; the records merged into it."""
    return EntityOut.of(bench.entity(entity_id))


@router.get("/datasets", response_model=list[DatasetOut])
def datasets(bench: Bench) -> list[DatasetOut]:
    """`Workbench.datasets()`: the datasets the caller may read, with their counts."""
    return [DatasetOut.of(d) for d in bench.datasets()]
