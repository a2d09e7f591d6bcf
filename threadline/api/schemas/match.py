"""Wire models of the yente-compatible match API: shaped as yente shapes them
(`yente/data/common.py`: EntityMatchQuery, EntityMatchResponse, AlgorithmResponse),
so screening clients and nomenklatura's yente enricher read them unchanged.

`features` holds each resolver feature's weight (log2 Bayes factor) for the pair, and
`explanations` the same with the feature's level as `detail` and the two values
compared; a `rule` entry appears where a documented rule moved the score. `score` is
the probability of the pair's total weight, as `threadline explain` shows it.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from threadline.api.schemas.wire import Wire
from threadline.app.screening import ALGORITHM_NAME, Algorithm
from threadline.app.verbs.matching import MAX_QUERIES, MatchCandidate, MatchResult
from threadline.app.verbs.screening_batch import ScreenReport
from threadline.resolve.explain import Feature
from threadline.resolve.screen import MatchQuery


class EntityExample(Wire):
    """A record to match: a followthemoney schema and property values."""

    id: str | None = Field(default=None, max_length=200)
    schema_: str = Field(alias="schema", min_length=1, max_length=64, examples=["Person"])
    properties: dict[str, Any] = Field(
        default_factory=dict, examples=[{"name": ["John Doe"], "birthDate": ["1975-04-21"]}]
    )

    def data(self) -> dict[str, Any]:
        return {"id": self.id, "schema": self.schema_, "properties": self.properties}

    @classmethod
    def of(cls, query: MatchQuery) -> EntityExample:
        return cls(id=query.id, schema=query.schema, properties=dict(query.to_json()["properties"]))


class MatchRequest(Wire):
    """yente's EntityMatchQuery. Its `weights` and `config` tune nomenklatura's
    algorithms; threadline's resolver learns its weights from the data, so they must
    be left empty."""

    queries: dict[str, EntityExample] = Field(max_length=MAX_QUERIES)
    weights: dict[str, float] = Field(default_factory=dict, max_length=0)
    config: dict[str, Any] = Field(default_factory=dict, max_length=0)


class FeatureResult(Wire):
    """One feature's outcome: its weight, its level, and the values it compared."""

    score: float
    detail: str | None = None
    query: str | None = None
    candidate: str | None = None

    @classmethod
    def of(cls, feature: Feature) -> FeatureResult:
        return cls(
            score=feature.weight,
            detail=feature.label,
            query=_text(feature.left),
            candidate=_text(feature.right),
        )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


class ScoredEntity(Wire):
    """A candidate as yente returns it, with threadline's `markings` beside."""

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str]
    target: bool = False
    first_seen: str | None
    last_seen: str | None
    last_change: str | None
    score: float
    features: dict[str, float]
    explanations: dict[str, FeatureResult]
    match: bool
    markings: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, found: MatchCandidate) -> ScoredEntity:
        data = found.entity.to_ftm()
        shown = found.scored.informative
        return cls(
            id=found.entity.id,
            caption=found.entity.caption,
            schema=data["schema"],
            properties=data["properties"],
            datasets=found.entity.datasets,
            referents=found.referents,
            first_seen=found.first_seen,
            last_seen=found.last_seen,
            last_change=found.last_change,
            score=round(found.scored.probability, 6),
            features={f.name: f.weight for f in shown},
            explanations={f.name: FeatureResult.of(f) for f in shown},
            match=found.match,
            markings=found.markings,
        )


class TotalSpec(Wire):
    value: int
    relation: str = "eq"


class EntityMatches(Wire):
    """The answer to one query; `total` counts the candidates that match."""

    status: int = 200
    results: list[ScoredEntity]
    total: TotalSpec
    query: EntityExample

    @classmethod
    def of(cls, result: MatchResult) -> EntityMatches:
        return cls(
            results=[ScoredEntity.of(c) for c in result.results],
            total=TotalSpec(value=result.matches),
            query=EntityExample.of(result.query),
        )


class FeatureDoc(Wire):
    description: str | None
    coefficient: float
    url: str


class AlgorithmOut(Wire):
    name: str
    description: str | None
    features: dict[str, FeatureDoc]

    @classmethod
    def of(cls, algorithm: Algorithm) -> AlgorithmOut:
        return cls(
            name=algorithm.name,
            description=f"{algorithm.description} (model {algorithm.version})",
            features=matcher(algorithm),
        )


def matcher(algorithm: Algorithm) -> dict[str, FeatureDoc]:
    """yente's `matcher`: each feature's description and full-agreement weight."""
    return {
        f.name: FeatureDoc(
            description=f.description,
            coefficient=f.coefficient,
            url=f"/api/v1/algorithms#{f.name}",
        )
        for f in algorithm.features
    }


class MatchResponse(Wire):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


class AlgorithmsResponse(Wire):
    algorithms: list[AlgorithmOut]
    default: str = ALGORITHM_NAME
    best: str = ALGORITHM_NAME


class ScreenReportOut(Wire):
    """A screened list: one row per input row and candidate (`header` names the
    columns: `row`, the list's own, then status, rank, candidate_id, caption,
    schema, datasets, score, match, features and link), and the counts."""

    file: str
    sha256: str
    schema_: str = Field(alias="schema")
    header: list[str]
    rows: list[list[str]]
    screened: int
    with_candidates: int
    matched: int
    invalid: int

    @classmethod
    def of(cls, report: ScreenReport) -> ScreenReportOut:
        return cls(
            file=report.file,
            sha256=report.sha256,
            schema=report.schema,
            header=report.header,
            rows=[list(r) for r in report.rows],
            screened=report.screened,
            with_candidates=report.with_candidates,
            matched=report.matched,
            invalid=report.invalid,
        )
