"""Wire models of search, entities, datasets and ingest jobs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from threadline.api.schemas.wire import Wire
from threadline.app.workbench import EntityView
from threadline.ingest.documents import FailedDocument
from threadline.model.relationship import Endpoint, Relationship
from threadline.search import Hit, SearchResult
from threadline.store import DatasetStats


class SearchHit(Wire):
    """One matching entity; `highlights` are HTML-escaped values with matches in <em>."""

    id: str
    schema_: str = Field(alias="schema")
    caption: str
    score: float
    datasets: list[str]
    countries: list[str]
    highlights: list[str]
    markings: list[str] = Field(description="the markings of the collections it comes from")

    @classmethod
    def of(cls, hit: Hit) -> SearchHit:
        return cls(
            id=hit.id,
            schema=hit.schema,
            caption=hit.caption,
            score=hit.score,
            datasets=hit.datasets,
            countries=hit.countries,
            highlights=hit.highlights,
            markings=hit.markings,
        )


class SearchResponse(Wire):
    """Hits in rank order, the total number of matches, and facet counts."""

    hits: list[SearchHit]
    total: int
    facets: dict[str, dict[str, int]] = Field(
        description="Counts by facet (schema, dataset, country, doc_type, sender, recipient, "
        "year) and value, over the readable part of every match; each facet's value is "
        "also the search parameter of the same name."
    )
    limit: int
    offset: int

    @classmethod
    def of(cls, result: SearchResult, limit: int, offset: int) -> SearchResponse:
        hits = [SearchHit.of(h) for h in result.hits]
        return cls(hits=hits, total=result.total, facets=result.facets, limit=limit, offset=offset)


class Suggestion(Wire):
    """An entity a typed name may mean: what a picker shows, and the id it puts in."""

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    datasets: list[str]
    countries: list[str]
    markings: list[str] = Field(description="the markings of the collections it comes from")

    @classmethod
    def of(cls, hit: Hit) -> Suggestion:
        return cls(
            id=hit.id,
            caption=hit.caption,
            schema=hit.schema,
            datasets=hit.datasets,
            countries=hit.countries,
            markings=hit.markings,
        )


class SuggestResponse(Wire):
    """Suggestions best first, and how many entities matched in all."""

    suggestions: list[Suggestion]
    total: int

    @classmethod
    def of(cls, result: SearchResult) -> SuggestResponse:
        return cls(suggestions=[Suggestion.of(h) for h in result.hits], total=result.total)


class Value(Wire):
    """A property value and where it was seen: dataset, source file and row."""

    value: str
    dataset: str
    source: str = Field(description="sha256 of the source file")
    source_name: str | None = Field(description="the source file's name")
    location: int | None = Field(description="row, line or page in the source file")
    statement_id: str
    first_seen: str
    last_seen: str


class LinkEnd(Wire):
    """An entity at the other end of a link."""

    id: str
    schema_: str = Field(alias="schema")
    caption: str
    prop: str

    @classmethod
    def of(cls, end: Endpoint) -> LinkEnd:
        return cls(id=end.id, schema=end.schema, caption=end.caption, prop=end.prop)


class Link(Wire):
    """A relationship: an edge entity (Ownership, Payment...) or a direct reference."""

    direction: Literal["in", "out"]
    prop: str
    id: str
    schema_: str = Field(alias="schema")
    caption: str
    others: list[LinkEnd]
    details: str

    @classmethod
    def of(cls, link: Relationship) -> Link:
        return cls(
            direction="in" if link.direction == "in" else "out",
            prop=link.prop,
            id=link.id,
            schema=link.schema,
            caption=link.caption,
            others=[LinkEnd.of(o) for o in link.others],
            details=link.details,
        )


class EntityOut(Wire):
    """An entity: every value with its provenance, its links, the records merged into it,
    and the markings of the collections it comes from."""

    id: str
    schema_: str = Field(alias="schema")
    caption: str
    datasets: list[str]
    properties: dict[str, list[Value]]
    relationships: list[Link]
    members: list[str]
    markings: list[str]

    @classmethod
    def of(cls, view: EntityView) -> EntityOut:
        entity = view.entity
        properties: dict[str, list[Value]] = {}
        for fact in entity.facts():
            properties.setdefault(fact.prop, []).append(
                Value(
                    value=fact.value,
                    dataset=fact.dataset,
                    source=fact.source,
                    source_name=fact.source_name,
                    location=fact.location,
                    statement_id=fact.statement_id,
                    first_seen=fact.first_seen,
                    last_seen=fact.last_seen,
                )
            )
        return cls(
            id=entity.id,
            schema=entity.schema.name,
            caption=entity.caption,
            datasets=entity.datasets,
            properties=properties,
            relationships=[Link.of(r) for r in view.relationships],
            members=view.members,
            markings=view.markings,
        )


class DatasetOut(Wire):
    """What one dataset holds."""

    name: str
    entities: int
    statements: int
    sources: int

    @classmethod
    def of(cls, stats: DatasetStats) -> DatasetOut:
        return cls(
            name=stats.name,
            entities=stats.entities,
            statements=stats.statements,
            sources=stats.sources,
        )


class FailureOut(Wire):
    """A document that could not be extracted, or only in part: its file names and the
    reasons."""

    entity_id: str
    schema_: str = Field(alias="schema")
    dataset: str
    file_names: list[str]
    errors: list[str]
    status: str = "failure"  # or "partial": read, but some of its pages failed

    @classmethod
    def of(cls, failed: FailedDocument) -> FailureOut:
        return cls(
            entity_id=failed.entity_id,
            schema=failed.schema,
            dataset=failed.dataset,
            file_names=failed.file_names,
            errors=failed.errors,
            status=failed.status,
        )


# Ingest ------------------------------------------------------------------------------


class RowError(Wire):
    """A record that could not be read or mapped."""

    file: str
    line: int | None
    message: str


class FileResult(Wire):
    """What ingesting one file did."""

    file: str
    dataset: str
    kind: str
    records: int
    entities: int
    statements: int
    seconds: float
    errors: list[RowError]
    # Values followthemoney discarded from records that were kept (a country "JPX").
    discarded: list[RowError] = Field(default_factory=list)
    # Documents that could not be extracted (kept, with the reason; see /failures),
    # and whether the file was skipped as already ingested by this extractor.
    failed: list[RowError] = Field(default_factory=list)
    skipped: bool = False


class Stage(Wire):
    """The task an ingest job is on, and how far it got, in `unit`s."""

    label: str
    done: int
    total: int | None
    unit: str


class IngestJobOut(Wire):
    """An ingest running in the background: its state, progress, results and errors."""

    id: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    dataset: str | None
    files: list[str]
    stage: Stage | None
    results: list[FileResult]
    errors: list[RowError] = Field(description="the row errors of every file, in order")
    error: str | None = Field(description="why the job failed, if it did")
    created_at: str
    finished_at: str | None
