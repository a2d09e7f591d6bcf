"""Mentions: known names and identifiers found in a dataset's documents become
`Mention` entities (`find_mentions`), and an entity shows where it is mentioned
(`mentions`). See docs/mentions.md and `threadline.mentions`.

Mentions are derived: finding them again replaces those of each document read, and
writes nothing when nothing changed (their statement ids are deterministic). Only the
names of entities the caller may read are looked for, and a reader sees a mention only
if they may read both the document's collection and the entity's.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from threadline.access import Level, require
from threadline.app import indexer
from threadline.app.accountability import Scope
from threadline.app.verbs.base import VerbsBase
from threadline.audit import ActionKind
from threadline.errors import InputError, NotFoundError
from threadline.ingest.documents import DOCUMENT_KIND
from threadline.ingest.pipeline import FileReport
from threadline.mentions.finder import VALUE_TYPES, Finder, Found, find, places, rows_of
from threadline.mentions.mention import MENTION, SPAN, Span
from threadline.mentions.view import MentionView, views
from threadline.model.entity import Entity
from threadline.model.statement import StatementRow
from threadline.progress import NoProgress, Progress
from threadline.store.assembly import load_entities

MAX_LIMIT = 1_000
# Statements in the store above which an ingest leaves mentions to `find_mentions`.
AUTO_LIMIT = 5_000_000


@dataclass
class MentionReport:
    """What one run of `find_mentions` read and wrote."""

    dataset: str
    names: int  # known values looked for
    documents: int  # documents read
    characters: int  # of text read
    mentions: int  # mentions found (one per document and entity)
    written: int  # mentions new or changed
    removed: int  # mentions no longer found, erased
    seconds: float


class MentionVerbs(VerbsBase):
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

    def _find_mentions(
        self, scope: Scope, dataset: str, only: Collection[str] | None, progress: Progress
    ) -> MentionReport:
        """`find_mentions` inside a call that holds the writer lock; with `only`, just
        the documents (or pages) of those ids."""
        started = time.perf_counter()
        if dataset not in scope.known or not scope.sees(dataset):
            raise NotFoundError(f"No dataset named {dataset!r}")
        if not scope.principal.local:
            require(scope.principal, Level.WRITE, dataset)
        progress.begin("reading known names", None, "values")
        finder = Finder.of(self.store.iter_values(VALUE_TYPES), scope.sees)
        progress.end()
        found: Found = {}
        existing: dict[str, dict[str, set[str]]] = {}  # document -> mention -> statement ids
        documents: set[str] = set()
        characters = 0
        progress.begin(f"finding mentions in {dataset}", None, "entities")
        for group in self._groups(dataset, only):
            if group[0].schema == MENTION:
                owner = next((r.value for r in group if r.prop == "document"), None)
                if owner is not None:
                    existing.setdefault(owner, {})[group[0].entity_id] = {r.id for r in group}
                continue
            texts = places(group)
            documents.update(t.document_id for t in texts)
            characters += find(finder, texts, found)
            progress.advance(1)
        progress.end()
        seen = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        new = rows_of(found, seen)
        stale: list[str] = []
        rows: list[StatementRow] = []
        count = 0
        for document in sorted(documents):
            mine: dict[str, list[StatementRow]] = {}
            for row in new.get(document, []):
                mine.setdefault(row.entity_id, []).append(row)
            count += len(mine)
            old = existing.get(document, {})
            stale.extend(m for m, ids in old.items() if {r.id for r in mine.get(m, [])} != ids)
            rows.extend(
                r for m, made in mine.items() if old.get(m) != {r.id for r in made} for r in made
            )
        if stale:  # a changed mention is erased whole, then written again
            self.store.erase(dataset=dataset, entity_ids=stale)
        if rows:
            with self.store.writer() as writer:
                writer.add(rows)
        written = {r.entity_id for r in rows}
        if stale or rows:
            indexer.update(self.store, self.index, self.settings, set(stale) | written, progress)
        return MentionReport(
            dataset,
            finder.values,
            len(documents),
            characters,
            count,
            len(written),
            len(set(stale) - written),
            time.perf_counter() - started,
        )

    def _groups(self, dataset: str, only: Collection[str] | None) -> Iterator[list[StatementRow]]:
        """The dataset's statements entity by entity: every entity, or the entities of
        `only` and the mentions of the documents among them."""
        if only is None:
            groups: Iterable[list[StatementRow]] = self.store.iter_entities(dataset)
        else:
            loaded = self.store.statements_for(only)
            documents = {t.document_id for rows in loaded.values() for t in places(rows)}
            refs = {
                r.entity_id
                for d in sorted(documents)
                for r in self.store.references(d)
                if r.schema == MENTION and r.prop == "document"
            }
            groups = [*loaded.values(), *self.store.statements_for(refs).values()]
        for group in groups:
            mine = [r for r in group if r.dataset == dataset]
            if mine:
                yield mine

    def _mentions_after(self, scope: Scope, reports: list[FileReport], progress: Progress) -> None:
        """After documents are ingested, find mentions in them (in a call that holds the
        writer lock). Skipped, with a note in the report, for a store of more than
        `AUTO_LIMIT` statements: reading its names takes a while, so `find_mentions`
        is left to the user."""
        wanted: dict[str, set[str]] = {}
        for report in reports:
            if report.kind == DOCUMENT_KIND and not report.skipped and report.entity_ids:
                wanted.setdefault(report.dataset, set()).update(report.entity_ids)
        if not wanted:
            return
        if sum(d.statements for d in self.store.datasets()) > AUTO_LIMIT:  # kept counts
            for report in reports:
                if report.dataset in wanted:
                    why = "mentions were not looked for in a store this large; run"
                    fix = f"`threadline find-mentions --dataset {report.dataset}`"
                    report.warnings.append(InputError(report.path, f"{why} {fix}"))
            return
        for dataset, ids in sorted(wanted.items()):
            self._find_mentions(scope, dataset, ids, progress)

    def mentions(self, entity_id: str, *, limit: int = 100) -> list[MentionView]:
        """Where an entity is mentioned: each place in a document, with its page and a
        snippet, best first; only mentions and texts the caller may read."""
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit: must be between 1 and {MAX_LIMIT}")
        with self._act(ActionKind.CONSULTATION, "mentions") as act:
            scope = act.scope
            entity, members = self._visible(scope, entity_id)
            refs = {
                r.entity_id
                for m in members
                for r in self.store.references(m)
                if r.schema == MENTION and r.prop == "resolved"
            }
            found = {i: scope.rows(rows) for i, rows in self.store.statements_for(refs).items()}
            # A mention counts only if its own `resolved` statement is readable.
            found = {
                i: rows
                for i, rows in found.items()
                if any(r.prop == "resolved" and r.value in members for r in rows)
            }
            spans = [Span.parse(r.value) for rows in found.values() for r in rows if r.prop == SPAN]
            holders = {s.text_entity for s in spans}
            texts = {
                r.id: r
                for rows in self.store.statements_for(holders).values()
                for r in scope.rows(rows)
            }
            owners = {r.value for rows in found.values() for r in rows if r.prop == "document"}
            captions = self._captions(scope, owners)
            shown = [v for rows in found.values() for v in views(rows, texts, captions)]
            shown.sort(key=lambda v: (-v.confidence, v.document_caption, v.page or 0, v.start))
            shown = _distinct(shown)[:limit]
            act.ids = list(dict.fromkeys([entity.id, *(v.document_id for v in shown)]))
        return shown

    def _captions(self, scope: Scope, ids: Collection[str]) -> dict[str, str]:
        """Captions of the documents the scope may read, by id."""
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
