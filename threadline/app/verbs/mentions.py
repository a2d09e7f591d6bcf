"""Mentions: known names and identifiers found in a dataset's documents become
`Mention` entities (`find_mentions`), and an entity shows where it is mentioned
(`mentions`). See docs/mentions.md and `threadline.mentions`.

Mentions are derived: finding them again replaces those of each document read, and
writes nothing when nothing changed (their statement ids are deterministic). Only the
names of entities the caller may read are looked for, and a reader sees a mention only
if they may read both the document's collection and the entity's.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from threadline.app.accountability import Scope
from threadline.app.verbs.mention_rescan import MentionRescan
from threadline.app.verbs.mention_scan import MentionReport
from threadline.audit import ActionKind
from threadline.errors import InputError
from threadline.ingest.documents import DOCUMENT_KIND
from threadline.ingest.pipeline import FileReport
from threadline.mentions.mention import MENTION, SPAN, Span
from threadline.mentions.view import MentionView, views
from threadline.model.entity import Entity
from threadline.model.statement import StatementRow
from threadline.progress import NoProgress, Progress
from threadline.store.assembly import load_entities

MAX_LIMIT = 1_000
# Statements in the store above which an ingest leaves mentions to `find_mentions`.
AUTO_LIMIT = 5_000_000


class MentionVerbs(MentionRescan):
    """Find the known entities named in documents, and show where they are named."""

    def find_mentions(self, dataset: str, *, progress: Progress | None = None) -> MentionReport:
        """Find the names, aliases and identifiers (and e-mail addresses, phone numbers,
        IBANs) of the entities the caller may read in the texts of `dataset`'s
        documents, and store each as a `Mention` in `dataset` (needs write on it)."""
        if not dataset or not dataset.strip():
            raise ValueError("dataset: name the dataset whose documents to read")
        progress = progress or NoProgress()
        with (
            self._writing(progress),
            self._act(ActionKind.COLLECTION, "find_mentions", personal=False) as act,
        ):
            act.ids = [f"dataset:{dataset}"]
            report = self._find_mentions(act.scope, dataset, None, progress)
            act.detail = (
                f"documents={report.documents} mentions={report.mentions} "
                f"written={report.written} removed={report.removed}"
            )
        return report

    def _mentions_after(self, scope: Scope, reports: list[FileReport], progress: Progress) -> None:
        """After an ingest (in its call, which holds the writer lock): new documents are
        scanned against every known name, and stored documents for the new records'
        names (`MentionRescan`), unless the `mentions_auto` setting is off. Skipped,
        with a note in the report, for a store of more than `AUTO_LIMIT` statements:
        reading its names takes a while, so `find_mentions` is left to the user."""
        scope = replace(scope)  # its `known` afresh: the ingest may have opened datasets
        too_large = sum(d.statements for d in self.store.datasets()) > AUTO_LIMIT  # kept counts
        wanted: dict[str, set[str]] = {}
        for report in reports:
            if report.kind == DOCUMENT_KIND and not report.skipped and report.entity_ids:
                wanted.setdefault(report.dataset, set()).update(report.entity_ids)
        if wanted and self.settings.mentions_auto and too_large:
            for report in reports:
                if report.dataset in wanted:
                    why = "mentions were not looked for in a store this large; run"
                    fix = f"`threadline find-mentions --dataset {report.dataset}`"
                    report.warnings.append(InputError(report.path, f"{why} {fix}"))
        elif wanted and self.settings.mentions_auto:
            files: dict[str, int] = {}
            for source in self.store.sources():
                if source.kind.startswith("documents-") and source.dataset in wanted:
                    files[source.dataset] = files.get(source.dataset, 0) + 1
            for dataset, ids in sorted(wanted.items()):
                # Every document file of the dataset came now: all of it is scanned.
                new = sum(
                    r.dataset == dataset and r.kind == DOCUMENT_KIND and not r.skipped
                    for r in reports
                )
                whole = files.get(dataset) == new
                self._find_mentions(scope, dataset, ids, progress, whole=whole)
        self._rescan_after_records(scope, reports, progress, too_large)

    def mentions(
        self, entity_id: str, *, limit: int = 100, within: bool = False
    ) -> list[MentionView]:
        """Where an entity is mentioned: each place in a document, with its page and a
        snippet, best first; only mentions and texts the caller may read.

        With `within`, the places named *in* the document (or page) `entity_id`
        instead, in the order of its text, each with the caption of the entity named:
        only entities the caller may read."""
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit: must be between 1 and {MAX_LIMIT}")
        with self._act(ActionKind.CONSULTATION, "mentions") as act:
            scope = act.scope
            entity, members = self._visible(scope, entity_id)
            if within:
                shown = self._within(scope, entity, members)[:limit]
                act.ids = list(dict.fromkeys([entity.id, *(v.entity_id for v in shown)]))
                return shown
            refs = self._mention_ids(members, "resolved")
            found = {i: scope.rows(rows) for i, rows in self.store.statements_for(refs).items()}
            # A mention counts only if its own `resolved` statement is readable.
            found = {
                i: rows
                for i, rows in found.items()
                if any(r.prop == "resolved" and r.value in members for r in rows)
            }
            shown = self._views(scope, found, None)
            shown.sort(key=lambda v: (-v.confidence, v.document_caption, v.page or 0, v.start))
            shown = _distinct(shown)[:limit]
            act.ids = list(dict.fromkeys([entity.id, *(v.document_id for v in shown)]))
        return shown

    def _within(self, scope: Scope, entity: Entity, members: list[str]) -> list[MentionView]:
        """The places named in a document (a page: in its own text), in text order,
        of entities the scope reads; each view carries the entity's caption."""
        page = entity.schema.name == "Page"
        owners = {r.value for r in entity.statements if r.prop == "document"}
        refs = self._mention_ids(owners if page else members, "document")
        found = {i: scope.rows(rows) for i, rows in self.store.statements_for(refs).items()}
        found = {i: rows for i, rows in found.items() if any(r.prop == "document" for r in rows)}
        shown = self._views(scope, found, set(members) if page else None)
        named = self._captions(scope, {v.entity_id for v in shown})
        kept: dict[tuple[str, str, int, int], MentionView] = {}
        for view in shown:
            if view.entity_id in named:
                key = (view.entity_id, view.text_entity_id, view.start, view.end)
                kept.setdefault(key, replace(view, entity_caption=named[view.entity_id]))
        return sorted(kept.values(), key=lambda v: (v.text_entity_id, v.start, -v.end))

    def _mention_ids(self, ids: Collection[str], prop: str) -> set[str]:
        """The mentions whose `prop` (`resolved` or `document`) names one of `ids`."""
        return {
            r.entity_id
            for i in ids
            for r in self.store.references(i)
            if r.schema == MENTION and r.prop == prop
        }

    def _views(
        self, scope: Scope, found: dict[str, list[StatementRow]], holders: set[str] | None
    ) -> list[MentionView]:
        """The places of readable mentions, with snippets of the texts the scope reads
        (only the texts of `holders`, if given) and their documents' captions."""
        spans = [Span.parse(r.value) for rows in found.values() for r in rows if r.prop == SPAN]
        wanted = {s.text_entity for s in spans if holders is None or s.text_entity in holders}
        texts = {
            r.id: r for rows in self.store.statements_for(wanted).values() for r in scope.rows(rows)
        }
        owners = {r.value for rows in found.values() for r in rows if r.prop == "document"}
        captions = self._captions(scope, owners)
        return [v for rows in found.values() for v in views(rows, texts, captions)]

    def _captions(self, scope: Scope, ids: Collection[str]) -> dict[str, str]:
        """Captions of the entities (documents, or those named) the scope may read."""
        captions: dict[str, str] = {}
        for doc_id, loaded in load_entities(self.store, ids).items():
            rows = scope.rows(loaded.statements)
            if rows:
                captions[doc_id] = Entity.assemble(doc_id, rows).caption
        return captions


def _distinct(shown: list[MentionView]) -> list[MentionView]:
    """One view per place: records merged into one entity may share a mention's place."""
    seen: set[tuple[str, int, int]] = set()
    kept = []
    for view in shown:
        key = (view.text_entity_id, view.start, view.end)
        if key not in seen:
            seen.add(key)
            kept.append(view)
    return kept


__all__ = ["MentionReport", "MentionVerbs", "MentionView"]
