"""After records are ingested, the documents already stored are scanned for the new
names and identifiers only (docs/mentions.md, "When").

Which names are new is told by the watermark (`threadline.mentions.watermark`): the
values of the records just written that were first seen since the last scan, or,
when an ingest into the same dataset went unscanned, every value of the dataset
first seen since. A first pass looks for those alone in every document of each
document dataset the caller may write; documents that name none of them are read
once, and not written. Those that name one are scanned again, whole, with a finder
that finds in them exactly what one of every known name would (`_holders_finder`):
a name the new records share with others counts as shared (confidence, and the rule
for names too common to be evidence) as a full scan says, without folding every
known name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice

from threadline.access import Level, can
from threadline.app.accountability import Scope
from threadline.app.verbs.mention_scan import MentionReport, MentionScan, stamp
from threadline.audit import ActionKind
from threadline.errors import InputError
from threadline.ingest.pipeline import FileReport
from threadline.mentions.finder import (
    VALUE_TYPES,
    Finder,
    Row,
    is_target,
    is_text_holder,
    places,
)
from threadline.mentions.holders import Holders
from threadline.mentions.mention import MENTION
from threadline.mentions.watermark import Scanned, Watermark
from threadline.model.statement import StatementRow
from threadline.progress import Progress

# What `ingest.pipeline` plans as records (not documents, nor files refused as such).
RECORD_KINDS = frozenset({"ftm", "mapping", "csv", "xlsx"})
BATCH = 1_000  # entities read between progress reports
READ_BATCH = 10_000  # records whose statements are read at once
VALUES_BATCH = 50_000  # values read between progress reports


class MentionRescan(MentionScan):
    """Scan stored documents for the names of records just ingested."""

    def _rescan_after_records(
        self, scope: Scope, reports: list[FileReport], progress: Progress, too_large: bool
    ) -> list[MentionReport]:
        """Inside the ingest's call (writer lock held): count the ingest into each
        records dataset, and unless turned off or `too_large`, scan the documents for
        its new names. Each scan that writes is audited as `find_mentions` is."""
        wanted: dict[str, set[str]] = {}
        for report in reports:
            if report.kind in RECORD_KINDS and not report.skipped and report.entity_ids:
                wanted.setdefault(report.dataset, set()).update(report.entity_ids)
        if not wanted:
            return []
        if scope.readable is not None:
            # The caller wrote these (with write, or as manager of a new one): it reads
            # them, though the scope was made before a new one existed.
            scope = replace(scope, readable=scope.readable | frozenset(wanted))
        watermark = self._watermark()
        before = {records: watermark.heard(records) for records in sorted(wanted)}
        done: list[MentionReport] = []
        try:
            if not self.settings.mentions_auto:
                return done
            targets = self._document_datasets(scope)
            if too_large and targets:
                why = "stored documents were not searched for these names in a store this large"
                fix = "; ".join(f"`threadline find-mentions --dataset {d}`" for d in targets)
                for report in reports:
                    if report.dataset in wanted:
                        report.warnings.append(InputError(report.path, f"{why}; run {fix}"))
                return done
            for documents in targets:
                for records, ids in sorted(wanted.items()):
                    scan = self._rescan(
                        scope, watermark, documents, records, ids, before[records], progress
                    )
                    if scan is not None:
                        done.append(scan)
            return done
        finally:
            self._save_watermark(watermark)

    def _document_datasets(self, scope: Scope) -> list[str]:
        """The datasets holding documents that the scope may write (and read)."""
        held = {s.dataset for s in self.store.sources() if s.kind.startswith("documents-")}
        return sorted(
            d
            for d in held & scope.known
            if scope.sees(d) and (scope.principal.local or can(scope.principal, Level.WRITE, d))
        )

    def _rescan(
        self,
        scope: Scope,
        watermark: Watermark,
        documents: str,
        records: str,
        ids: set[str],
        heard_before: int,
        progress: Progress,
    ) -> MentionReport | None:
        """Scan `documents` for the new names of `records`; move the watermark."""
        started = stamp()
        mark = watermark.get(documents, records)
        current = mark is not None and mark.ingests == heard_before
        if current:
            values = self._new_values(self._rows_of(ids), records, mark)
        else:  # an ingest went unscanned (or none was ever scanned): since the mark
            values = self._new_values(self.store.iter_entities(records), records, mark)
        report = None
        if values:
            rows = sorted(_light(values))
            named = self._named_in(documents, Finder.of(rows, scope.sees), len(rows), progress)
            if named:
                # Catching up may bring many names: then every known name is read.
                finder = (
                    self._holders_finder(scope, named, values, progress)
                    if current
                    else self._finder(scope, progress)
                )
                texts = sorted(t for held in named.values() for t in held)
                report = self._find_mentions(
                    scope, documents, texts, progress, finder=finder, keep_unseen=True
                )
                self.accountability.record(
                    scope,
                    ActionKind.COLLECTION,
                    "find_mentions",
                    [f"dataset:{documents}"],
                    detail=(
                        f"after ingest into {records}: new values={len(values)} "
                        f"documents={report.documents} mentions={report.mentions} "
                        f"written={report.written} removed={report.removed}"
                    ),
                )
        seen = frozenset(r.id for r in values if r.first_seen == started)
        watermark.mark(documents, records, started, seen=seen)
        return report

    def _rows_of(self, ids: set[str]) -> Iterator[list[StatementRow]]:
        """The statements of these records, a batch at a time."""
        ordered = iter(sorted(ids))
        while batch := list(islice(ordered, READ_BATCH)):
            yield from self.store.statements_for(batch).values()

    @staticmethod
    def _new_values(
        groups: Iterator[list[StatementRow]], records: str, mark: Scanned | None
    ) -> list[StatementRow]:
        """Names and identifiers of `records` not yet looked for (all, without a mark)."""
        return [
            r
            for group in groups
            for r in group
            if r.dataset == records
            and r.prop_type in VALUE_TYPES
            and (mark is None or mark.is_new(r.id, r.first_seen))
        ]

    def _named_in(
        self, documents: str, finder: Finder, count: int, progress: Progress
    ) -> dict[str, set[str]]:
        """Every document of the dataset that names one of the finder's values, with
        its texts (its pages, or itself): all of them, so that it is scanned whole."""
        holders: dict[str, set[str]] = {}
        named: set[str] = set()
        total = next((d.entities for d in self.store.datasets() if d.name == documents), None)
        progress.begin(f"looking for {count:,} new values in {documents}", total, "entities")
        try:
            read = 0
            for group in self.store.iter_entities(documents):
                read += 1
                if read % BATCH == 0:
                    progress.advance(BATCH)
                if not is_text_holder(group[0].schema):
                    continue
                for place in places(group):
                    holders.setdefault(place.document_id, set()).add(place.statement.entity_id)
                    if place.document_id not in named and finder.hits(place.statement.value):
                        named.add(place.document_id)
            progress.advance(read % BATCH)
        finally:
            progress.end()
        return {d: holders[d] for d in sorted(named)}

    def _holders_finder(
        self,
        scope: Scope,
        named: dict[str, set[str]],
        values: list[StatementRow],
        progress: Progress,
    ) -> Finder:
        """A finder that finds in the `named` documents exactly what one of every known
        name would: every value of the entities new or already mentioned there, and
        each value elsewhere that gives what those find there (`Holders`). Another
        entity's other names need not be read: had one of them been in these
        documents, that entity would already be mentioned there."""
        mentions = {
            r.entity_id
            for document in named
            for r in self.store.references(document)
            if r.schema == MENTION and r.prop == "document"
        }
        known = {r.entity_id for r in values} | {
            r.value
            for rows in self.store.statements_for(mentions).values()
            for r in rows
            if r.prop == "resolved"
        }
        base = sorted(_light(v for rows in self._rows_of(known) for v in rows))
        found, first = Holders(), Finder.of(base, scope.sees)
        texts = self.store.statements_for({t for held in named.values() for t in held})
        for rows in texts.values():
            for place in places(rows):
                found.add(first.hits(place.statement.value))
        progress.begin("reading who else holds the names found", None, "values")
        try:
            extra: list[Row] = []
            for i, row in enumerate(self.store.iter_values(VALUE_TYPES), 1):
                if row[0] not in known and found.may_hold(row) and is_target(row[1]):
                    extra.append(row)
                if i % VALUES_BATCH == 0:
                    progress.advance(VALUES_BATCH)
        finally:
            progress.end()
        return Finder.of(sorted({*base, *extra}), scope.sees)


def _light(rows: Iterable[StatementRow]) -> Iterator[Row]:
    """Statements of names and identifiers as the store's scans give them."""
    for r in rows:
        if r.prop_type in VALUE_TYPES:
            yield (r.entity_id, r.schema, r.prop, r.prop_type, r.value, r.dataset)
