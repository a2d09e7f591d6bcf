"""Scanning a dataset's documents for mentions, and replacing what a scan finds: the
machinery under `find_mentions` and the scans that follow an ingest.

A scan replaces the mentions of the documents it reads, and writes nothing when
nothing changed (statement ids are deterministic). A whole dataset's scan moves the
watermark (`threadline.mentions.watermark`) of the datasets whose names it read.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from threadline.access import Level, require
from threadline.app import indexer
from threadline.app.accountability import Scope
from threadline.app.verbs.base import VerbsBase
from threadline.errors import NotFoundError
from threadline.mentions.finder import VALUE_TYPES, Finder, Found, find, places, rows_of
from threadline.mentions.mention import MENTION
from threadline.mentions.watermark import Watermark, WatermarkError
from threadline.model.statement import StatementRow
from threadline.progress import Progress

log = logging.getLogger(__name__)
WATERMARK = Path("mentions", "watermark.json")  # in the data directory


def stamp() -> str:
    """Now, as the store's `first_seen` stamps read (UTC, to the second)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


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


class MentionScan(VerbsBase):
    """Scan documents for mentions and store what is found."""

    def _find_mentions(
        self,
        scope: Scope,
        dataset: str,
        only: Collection[str] | None,
        progress: Progress,
        *,
        finder: Finder | None = None,
        keep_unseen: bool = False,
        whole: bool = False,
    ) -> MentionReport:
        """`find_mentions` inside a call that holds the writer lock; with `only`, just
        the documents (or pages) of those ids. `finder` is the scope's (read from the
        store if None). With `keep_unseen`, a mention no longer found is kept if the
        entity it names lies in a dataset the scope may not read: a scan that follows
        someone's ingest does not take away what they could not look for. `whole` says
        that `only` holds every document of the dataset (a new one)."""
        started = time.perf_counter()
        if dataset not in scope.known or not scope.sees(dataset):
            raise NotFoundError(f"No dataset named {dataset!r}")
        if not scope.principal.local:
            require(scope.principal, Level.WRITE, dataset)
        since = stamp()
        if finder is None:
            finder = self._finder(scope, progress)
        found: Found = {}
        existing: dict[str, dict[str, set[str]]] = {}  # document -> mention -> statement ids
        resolved: dict[str, str] = {}  # mention -> the entity it names
        documents: set[str] = set()
        characters = 0
        progress.begin(f"finding mentions in {dataset}", None, "entities")
        for group in self._groups(dataset, only):
            if group[0].schema == MENTION:
                owner = next((r.value for r in group if r.prop == "document"), None)
                if owner is not None:
                    existing.setdefault(owner, {})[group[0].entity_id] = {r.id for r in group}
                named = next((r.value for r in group if r.prop == "resolved"), None)
                if named is not None:
                    resolved[group[0].entity_id] = named
                continue
            texts = places(group)
            documents.update(t.document_id for t in texts)
            characters += find(finder, texts, found)
            progress.advance(1)
        progress.end()
        new = rows_of(found, stamp())
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
        if keep_unseen and stale and scope.readable is not None:
            stale = self._seen_only(scope, stale, resolved, {r.entity_id for r in rows})
        if stale:  # a changed mention is erased whole, then written again
            self.store.erase(dataset=dataset, entity_ids=stale)
        if rows:
            with self.store.writer() as writer:
                writer.add(rows)
        written = {r.entity_id for r in rows}
        if stale or rows:
            indexer.update(self.store, self.index, self.settings, set(stale) | written, progress)
        if only is None or whole:  # every document read, for every name the scope reads
            watermark = self._watermark()
            for records in sorted(scope.datasets):
                watermark.mark(dataset, records, since)
            self._save_watermark(watermark)
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

    def _finder(self, scope: Scope, progress: Progress) -> Finder:
        """Every name and identifier the scope may read, ready to find."""
        progress.begin("reading known names", None, "values")
        try:
            return Finder.of(self.store.iter_values(VALUE_TYPES), scope.sees)
        finally:
            progress.end()

    def _seen_only(
        self, scope: Scope, stale: list[str], resolved: dict[str, str], rewritten: set[str]
    ) -> list[str]:
        """The stale mentions to erase: those rewritten, and those naming an entity the
        scope reads all of (or that is gone); not those naming one it cannot read."""
        loaded = self.store.statements_for({resolved[m] for m in stale if m in resolved})
        unseen = {e for e, rows in loaded.items() if any(not scope.sees(r.dataset) for r in rows)}
        return [m for m in stale if m in rewritten or resolved.get(m) not in unseen]

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

    # The watermark: a small JSON file, rewritten whole under the writer lock.

    def _watermark(self) -> Watermark:
        """The watermark of this store; a fresh one if there is none, it belongs to
        another store (one restored or replaced), or it cannot be read (it is derived:
        losing it costs a slower scan, never a mention)."""
        store_id = self.store.generation().store_id
        path = self.data_dir / WATERMARK
        try:
            found = Watermark.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return Watermark(store_id)
        except (OSError, ValueError, WatermarkError) as error:
            log.warning("%s: not read, mentions will be caught up (%s)", path, error)
            return Watermark(store_id)
        return found if found.store_id == store_id else Watermark(store_id)

    def _save_watermark(self, watermark: Watermark) -> None:
        """Write the watermark whole, or leave the old one: a temporary file renamed."""
        path = self.data_dir / WATERMARK
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as file:
            json.dump(watermark.to_json(), file, indent=1)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
