"""Reading: search, name suggestions, one entity with the provenance of every value, and the datasets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas import DatasetOut, EntityOut, SearchResponse
from threadline.api.schemas.cases import TimelineOut, TimelineQuery
from threadline.api.schemas.read import FailureOut, SuggestResponse
from threadline.app.verbs.suggest import MAX_LIMIT, MIN_CHARS

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
    doc_type: Annotated[
        str | None,
        Query(max_length=64, description="A document type, e.g. Email, Pages (a PDF)."),
    ] = None,
    sender: Annotated[
        str | None, Query(max_length=320, description="E-mail from this address.")
    ] = None,
    recipient: Annotated[
        str | None, Query(max_length=320, description="E-mail to (cc, bcc) this address.")
    ] = None,
    year: Annotated[int | None, Query(ge=1, le=9999, description="Dated in this year.")] = None,
    limit: Annotated[int, Query(ge=0, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    fuzzy: Annotated[bool, Query(description="Allow typos in longer words.")] = True,
) -> SearchResponse:
    """`Workbench.search(q, ...)`: everything the caller may read, records and
    documents together, with facets (`schema`, `dataset`, `country`, `doc_type`,
    `sender`, `recipient`, `year`) and highlights (HTML-escaped values with the
    matched words in `<em>`)."""
    result = bench.search(
        q,
        schema=schema,
        dataset=dataset,
        country=country,
        doc_type=doc_type,
        sender=sender,
        recipient=recipient,
        year=year,
        limit=limit,
        offset=offset,
        fuzzy=fuzzy,
    )
    return SearchResponse.of(result, limit, offset)


@router.get("/suggest", response_model=SuggestResponse)
def suggest(
    bench: Bench,
    q: Annotated[
        str,
        Query(
            min_length=MIN_CHARS,
            max_length=200,
            description="The start of a name (the last word may be unfinished), or an id.",
        ),
    ],
    schema: Annotated[
        str | None, Query(max_length=64, description="e.g. Person, LegalEntity")
    ] = None,
    dataset: Annotated[str | None, Query(max_length=200)] = None,
    country: Annotated[str | None, Query(max_length=64, description="ISO code, e.g. de")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 8,
) -> SuggestResponse:
    """`Workbench.suggest(q, ...)`: entities the caller may read whose names start like
    `q`, for search-as-you-type pickers; audited as a consultation (`suggest`)."""
    result = bench.suggest(q, schema=schema, dataset=dataset, country=country, limit=limit)
    return SuggestResponse.of(result)


@router.get("/entities/{entity_id}", response_model=EntityOut)
def entity(bench: Bench, entity_id: EntityId) -> EntityOut:
    """`Workbench.entity(entity_id)`: the merged entity, each value with its dataset,
    source file, row and statement id; its relationships; the records merged into it."""
    return EntityOut.of(bench.entity(entity_id))


@router.get("/entities/{entity_id}/timeline", response_model=list[TimelineOut])
def timeline(
    bench: Bench, entity_id: EntityId, query: Annotated[TimelineQuery, Query()]
) -> list[TimelineOut]:
    """`Workbench.timeline(entity_id, schema=, prop=, since=, until=)`: the dated
    facts of the entity and of the links touching it (payments, ownership periods...)."""
    items = bench.timeline(
        entity_id, schema=query.schema_, prop=query.prop, since=query.since, until=query.until
    )
    return [TimelineOut.of(i) for i in items]


@router.get("/failures", response_model=list[FailureOut])
def failures(
    bench: Bench,
    dataset: Annotated[
        str | None, Query(max_length=255, description="Only this dataset's documents.")
    ] = None,
) -> list[FailureOut]:
    """`Workbench.failures()`: documents that could not be extracted, and why."""
    return [FailureOut.of(f) for f in bench.failures(dataset)]


@router.get("/datasets", response_model=list[DatasetOut])
def datasets(bench: Bench) -> list[DatasetOut]:
    """`Workbench.datasets()`: the datasets the caller may read, with their counts."""
    return [DatasetOut.of(d) for d in bench.datasets()]
