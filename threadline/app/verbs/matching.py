"""Matching verbs: screen query records (yente's example entities, OpenRefine's
reconciliation queries) against everything the caller may read.

Each query is one audited consultation, naming the candidates it returned and, hashed,
the names it asked about. Candidates come from the search index (by name, then by
identifier) under the caller's access; each is assembled from the statements the
caller may read in the datasets asked for, and scored by the resolver as `explain`
scores a pair (`threadline.app.screening`). A candidate, its values and its feature values
never come from a collection the caller cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from threadline.app.accountability import Scope
from threadline.app.screening import Algorithm, Scored, Screening, describe_algorithm
from threadline.app.verbs.base import VerbsBase, assemble
from threadline.audit import ActionKind
from threadline.errors import NotFoundError
from threadline.model.entity import Entity
from threadline.model.statement import BASE_PROP, StatementRow
from threadline.resolve.extract import schema_of
from threadline.resolve.screen import MatchQuery
from threadline.search import SearchQuery

if TYPE_CHECKING:
    from threadline.app.resolution import Resolution

ALL_DATASETS = "default"  # yente's name for "every dataset": here, every one the caller reads
MAX_QUERIES = 100
MAX_LIMIT = 100
MAX_IDS = 100  # exclude_entity_ids
_SEARCHES = 4  # names and identifiers looked up per query
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2})?)?)?)?)?$")


@dataclass(frozen=True)
class MatchOptions:
    """Where to look and what counts as a match (yente's query parameters)."""

    dataset: str = ALL_DATASETS
    limit: int = 5
    threshold: float | None = None  # a match from here up; default: the merge threshold
    cutoff: float = 0.0  # candidates scoring at or below this are left out
    include_dataset: Collection[str] = ()
    exclude_dataset: Collection[str] = ()
    exclude_schema: Collection[str] = ()
    changed_since: str | None = None  # only entities with a statement first seen since
    exclude_entity_ids: Collection[str] = ()

    def check(self) -> None:
        """Refuse options that make no sense, naming the option."""
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValueError(f"limit: must be between 1 and {MAX_LIMIT}")
        if self.threshold is not None and not 0 <= self.threshold <= 1:
            raise ValueError("threshold: must be between 0 and 1")
        if not 0 <= self.cutoff < 1:
            raise ValueError("cutoff: must be at least 0 and below 1")
        if self.changed_since is not None and not _DATE.match(self.changed_since):
            raise ValueError("changed_since: use YYYY[-MM[-DD[THH:MM:SS]]]")
        if len(self.exclude_entity_ids) > MAX_IDS:
            raise ValueError(f"exclude_entity_ids: at most {MAX_IDS}")


@dataclass(frozen=True)
class MatchCandidate:
    """A candidate as the caller may see it, with the resolver's score for the pair."""

    entity: Entity  # only statements the caller may read, in the datasets asked for
    referents: list[str]  # the member records merged into it that the caller sees
    markings: list[str]
    scored: Scored
    match: bool

    @property
    def first_seen(self) -> str | None:
        return min((r.first_seen for r in self.entity.statements if r.first_seen), default=None)

    @property
    def last_seen(self) -> str | None:
        return max((r.last_seen for r in self.entity.statements if r.last_seen), default=None)

    @property
    def last_change(self) -> str | None:
        """When the newest of its statements was first seen."""
        return max((r.first_seen for r in self.entity.statements if r.first_seen), default=None)


@dataclass(frozen=True)
class MatchResult:
    """The candidates of one query, best first, and how many of them match."""

    query: MatchQuery
    results: list[MatchCandidate] = field(default_factory=list)
    matches: int = 0


class MatchingVerbs(VerbsBase):
    """Screen records against the store with the resolver's scoring."""

    if TYPE_CHECKING:  # the Workbench's own (ResolutionVerbs and the read verbs)

        @property
        def _resolution(self) -> Resolution: ...

        def _catch_up(self, scope: Scope | None = None) -> None: ...

    def match(
        self, queries: Mapping[str, MatchQuery | Mapping[str, Any]], **options: Any
    ) -> dict[str, MatchResult]:
        """Score each query (`{"schema": ..., "properties": {...}}`, keyed as the
        caller likes) against what the caller may read, with the resolver's features
        and weights (what `explain` shows); options as `MatchOptions`: `dataset`
        ("default" for every readable one), `limit`, `threshold`, `cutoff`,
        `include_dataset`, `exclude_dataset`, `exclude_schema`, `changed_since` and
        `exclude_entity_ids`. One audited consultation per query."""
        settings = MatchOptions(**options)
        settings.check()
        if not queries:
            raise ValueError("queries: give at least one query")
        if len(queries) > MAX_QUERIES:
            raise ValueError(f"queries: at most {MAX_QUERIES} in one batch")
        parsed = {str(k): MatchQuery.parse(q, f"queries.{k}") for k, q in queries.items()}
        with Screening(self._resolution) as screening:
            screening.model()  # no model, no scores: say so before anything is read
            return {
                key: self._match_one(screening, query, settings) for key, query in parsed.items()
            }

    def _match_one(
        self, screening: Screening, query: MatchQuery, options: MatchOptions
    ) -> MatchResult:
        with self._act(ActionKind.CONSULTATION, "match") as act:
            scope = act.scope
            names = "\x1f".join(query.names + query.identifiers)
            hashed = self.accountability.hashed("query", names)
            act.detail = f"{hashed} schema={query.schema} dataset={options.dataset}"
            wanted = self._datasets(scope, options)
            candidates = self._candidates(scope, query, wanted, options)
            # Linked addresses and neighbours count only from the datasets asked for
            # (all of which the caller reads), as the candidates' own values do.
            scored = screening.score(
                query, {i: rows for i, (rows, _) in candidates.items()}, wanted.__contains__
            )
            threshold = options.threshold
            if threshold is None:
                threshold = screening.resolution.thresholds.merge
            result = self._ranked(
                scope, query, scored, candidates, options, threshold, self.store.source_names()
            )
            act.ids = [r.entity.id for r in result.results]
        return result

    @staticmethod
    def _ranked(
        scope: Scope,
        query: MatchQuery,
        scored: list[Scored],
        candidates: Mapping[str, tuple[list[StatementRow], list[str]]],
        options: MatchOptions,
        threshold: float,
        names_of: dict[str, str],
    ) -> MatchResult:
        """The query's result: candidates over the cutoff, assembled, best first,
        `limit` of them, and how many of all those over the cutoff match."""
        kept = [s for s in scored if s.probability > options.cutoff]
        results = []
        for score in kept[: options.limit]:  # only what is returned is assembled
            rows, members = candidates[score.candidate]
            entity = assemble(score.candidate, rows, names_of)
            results.append(
                MatchCandidate(
                    entity=entity,
                    referents=[m for m in members if m != score.candidate],
                    markings=scope.markings(entity.datasets),
                    scored=score,
                    match=score.probability >= threshold,
                )
            )
        matches = sum(1 for s in kept if s.probability >= threshold)
        return MatchResult(query, results, matches)

    @staticmethod
    def _datasets(scope: Scope, options: MatchOptions) -> frozenset[str]:
        """The datasets candidates and their values may come from."""
        if options.dataset == ALL_DATASETS:
            found = scope.datasets
        elif options.dataset in scope.known and scope.sees(options.dataset):
            found = frozenset({options.dataset})
        else:
            raise NotFoundError(f"dataset: no dataset named {options.dataset!r}")
        if options.include_dataset:
            found &= frozenset(options.include_dataset)
        return found - frozenset(options.exclude_dataset)

    def _candidates(
        self, scope: Scope, query: MatchQuery, datasets: frozenset[str], options: MatchOptions
    ) -> dict[str, tuple[list[StatementRow], list[str]]]:
        """Candidate ids (canonical) with their readable rows in `datasets` and the
        members those rows come from, found by the query's names and identifiers."""
        return self._candidates_many(scope, [query], datasets, options)[0]

    def _hits(
        self, scope: Scope, query: MatchQuery, datasets: frozenset[str], options: MatchOptions
    ) -> list[str]:
        """Ids the search index finds by the query's names and identifiers, under the
        caller's access, best first."""
        window = min(max(20, options.limit * 5), 200)
        one = next(iter(datasets)) if len(datasets) == 1 else None
        hits: dict[str, None] = {}
        texts = [*query.names[:_SEARCHES], *query.identifiers[:_SEARCHES]]
        for text in texts:
            cleaned = text.replace('"', " ").strip()
            if not cleaned:
                continue
            found = self.index.search(
                SearchQuery(
                    text=cleaned,
                    dataset=one,
                    limit=window,
                    facets=False,
                    highlight=False,  # candidates are scored, not shown as hits
                    visible=scope.readable,
                    hidden=scope.hidden,
                )
            )
            hits.update(dict.fromkeys(h.id for h in found.hits))
        return list(hits)

    def _candidates_many(
        self,
        scope: Scope,
        queries: Sequence[MatchQuery],
        datasets: frozenset[str],
        options: MatchOptions,
    ) -> list[dict[str, tuple[list[StatementRow], list[str]]]]:
        """`_candidates` of each query; the store is asked once for all of them (what
        makes a long list fast: one look-up of canonical ids, clusters and statements
        per batch instead of per query)."""
        if not datasets:
            return [{} for _ in queries]
        self._catch_up(scope)
        found_hits = [self._hits(scope, query, datasets, options) for query in queries]
        judgements = self.store.judgements
        # Only ids the caller reads count: excluding an unreadable record would tell
        # which entity it was merged into.
        asked = self.store.statements_for(set(options.exclude_entity_ids))
        readable = [i for i, rows in asked.items() if scope.rows(rows)]
        excluded = set(judgements.canonical(readable).values())
        canonical = judgements.canonical(list({i for hits in found_hits for i in hits}))
        heads_of = [
            [h for h in dict.fromkeys(canonical[i] for i in hits) if h not in excluded]
            for hits in found_hits
        ]
        every = list({h for heads in heads_of for h in heads})
        clusters = judgements.members_of(every)
        members = {h: clusters.get(h, [h]) for h in every}
        statements = self.store.statements_for({m for ids in members.values() for m in ids})
        skipped = frozenset(options.exclude_schema)
        usable: dict[str, tuple[list[StatementRow], list[str]] | None] = {}
        for head in every:
            rows = [
                r
                for m in members[head]
                for r in scope.rows(statements.get(m, []))
                if r.dataset in datasets
            ]
            keep = bool([r for r in rows if r.prop != BASE_PROP]) and schema_of(rows) not in skipped
            if keep and options.changed_since:
                keep = max(r.first_seen for r in rows) >= options.changed_since
            usable[head] = (rows, sorted({r.entity_id for r in rows})) if keep else None
        return [{h: found for h in heads if (found := usable[h]) is not None} for heads in heads_of]

    def match_algorithms(self) -> list[Algorithm]:
        """How `match` scores: the resolver's features and their current weights, as
        yente's `/algorithms` describes its algorithms. It holds no entity data, so it
        leaves no audit event."""
        return [describe_algorithm(self._resolution)]
