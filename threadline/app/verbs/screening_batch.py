"""Batch screening: `match_file` screens a list (CSV or XLSX) of names, with dates,
countries and identifiers, against everything the caller may read, and gives a table
of candidates with scores, explanations and links (one row per input row and
candidate; a row without candidates says so).

Candidates and scores are those `match` gives for each row as a query. The work is
done in chunks of rows: the search index is asked per row, the store once per chunk,
and every pair of a chunk is scored in one engine run (`Screening.score_many`).

Audit: every row is a consultation like a `match` query (action `match`, the row's
candidates as objects, its names hashed, the file's hash and row number in the
detail), written one transaction per chunk; the whole run is one more consultation
(`match-file`) naming the file's hash, its row count and how it was screened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threadline.app.accountability import Scope
from threadline.app.screening import Screening
from threadline.app.screening_list import (
    INVALID,
    NO_CANDIDATES,
    RESULT_COLUMNS,
    ListRow,
    ScreeningList,
    entity_link,
    format_of,
    read_list,
    write_results,
)
from threadline.app.verbs.matching import MatchingVerbs, MatchOptions, MatchResult
from threadline.audit import ActionKind
from threadline.progress import NoProgress, Progress

if TYPE_CHECKING:
    from threadline.app.screening import Scored

CHUNK = 250  # rows per store look-up, engine run and audit transaction


@dataclass
class ScreenReport:
    """What a screened list gave: the results table and its counts."""

    file: str  # the list's name
    sha256: str
    schema: str
    header: list[str]  # `row`, the list's own columns, then RESULT_COLUMNS
    rows: list[tuple[str, ...]] = field(default_factory=list)
    screened: int = 0  # input rows
    with_candidates: int = 0
    matched: int = 0  # input rows with at least one match
    invalid: int = 0
    candidates: int = 0  # result rows naming a candidate
    out: Path | None = None

    @property
    def matches(self) -> int:
        """Result rows whose candidate matches (a score at or over the threshold)."""
        return sum(1 for r in self.rows if r[-3] == "yes")


def _features(scored: Scored) -> str:
    return "; ".join(f"{f.name} {f.weight:+.2f}" for f in scored.informative)


class ScreeningBatchVerbs(MatchingVerbs):
    """Screen a whole list with the resolver's scoring."""

    def match_file(
        self,
        path: Path,
        *,
        schema: str,
        maps: Mapping[str, str],
        out: Path | None = None,
        progress: Progress | None = None,
        name: str | None = None,
        **options: Any,
    ) -> ScreenReport:
        """Screen each row of a CSV or XLSX list (`maps`: followthemoney property ->
        column, e.g. `{"name": "Full name", "birthDate": "Born"}`) as a `schema` query
        against what the caller may read; options as `match` (`dataset`, `limit`,
        `threshold`, `cutoff`, ...). Writes the table to `out` (.csv or .xlsx) if
        given. Each row is an audited consultation, and so is the whole list."""
        settings = MatchOptions(**options)
        settings.check()
        fmt = format_of(out) if out is not None else None
        listed = read_list(path, schema, maps, name=name)
        progress = progress or NoProgress()
        with (
            Screening(self._resolution) as screening,
            self._act(ActionKind.CONSULTATION, "match-file") as act,
        ):
            screening.model()  # no model, no scores: say so before anything is read
            source = listed.source
            act.detail = (
                f"file=sha256:{source.sha256} rows={len(listed.rows)} schema={listed.schema} "
                f"maps={','.join(sorted(listed.maps))} dataset={settings.dataset}"
            )
            report = ScreenReport(
                file=name or path.name,
                sha256=source.sha256,
                schema=listed.schema,
                header=["row", *listed.columns, *RESULT_COLUMNS],
            )
            progress.begin(f"Screening {report.file}", len(listed.rows), "rows")
            try:
                for start in range(0, len(listed.rows), CHUNK):
                    chunk = listed.rows[start : start + CHUNK]
                    self._screen_chunk(act.scope, screening, listed, chunk, settings, report)
                    progress.advance(len(chunk))
            finally:
                progress.end()
        if out is not None and fmt is not None:
            with out.open("wb") as handle:
                write_results(report.header, report.rows, handle, fmt)
            report.out = out
        return report

    def _screen_chunk(
        self,
        scope: Scope,
        screening: Screening,
        listed: ScreeningList,
        chunk: list[ListRow],
        options: MatchOptions,
        report: ScreenReport,
    ) -> None:
        """Screen some rows, add their result rows, and record their consultations."""
        wanted = self._datasets(scope, options)
        asked = [row for row in chunk if row.query is not None]
        queries = [row.query for row in asked if row.query is not None]
        found = self._candidates_many(scope, queries, wanted, options)
        scored = screening.score_many(
            [
                (query, {i: rows for i, (rows, _) in candidates.items()})
                for query, candidates in zip(queries, found, strict=True)
            ],
            wanted.__contains__,
            relations=False,  # a query has no neighbours: they never change its scores
        )
        threshold = options.threshold
        if threshold is None:
            threshold = screening.resolution.thresholds.merge
        names_of = self.store.source_names()
        results: dict[int, MatchResult] = {}
        events: list[tuple[list[str], str]] = []
        for row, query, candidates, scores in zip(asked, queries, found, scored, strict=True):
            result = self._ranked(scope, query, scores, candidates, options, threshold, names_of)
            results[row.number] = result
            hashed = self.accountability.hashed(
                "query", "\x1f".join(query.names + query.identifiers)
            )
            detail = (
                f"{hashed} schema={query.schema} dataset={options.dataset} "
                f"file=sha256:{listed.source.sha256} row={row.number}"
            )
            events.append(([c.entity.id for c in result.results], detail))
        # Written before the rows are added: nothing is returned that is not on record.
        self.accountability.record_many(scope, ActionKind.CONSULTATION, "match", events)
        for row in chunk:
            report.screened += 1
            head = (str(row.number), *(row.values.get(c, "") for c in listed.columns))
            done = results.get(row.number)
            if done is None:
                report.invalid += 1
                report.rows.append((*head, f"{INVALID}: {row.error}", *[""] * 9))
                continue
            if not done.results:
                report.rows.append((*head, NO_CANDIDATES, *[""] * 9))
                continue
            report.with_candidates += 1
            report.matched += 1 if any(c.match for c in done.results) else 0
            for rank, found_one in enumerate(done.results, start=1):
                entity = found_one.entity
                report.candidates += 1
                report.rows.append(
                    (
                        *head,
                        "match" if found_one.match else "candidate",
                        str(rank),
                        entity.id,
                        entity.caption,
                        entity.schema.name,
                        ";".join(entity.datasets),
                        f"{found_one.scored.probability:.3f}",
                        "yes" if found_one.match else "",
                        _features(found_one.scored),
                        entity_link(entity.id),
                    )
                )
