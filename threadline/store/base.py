"""The Store interface: statements and sources in, entities' statements out.

Backends implement a few primitives; everything else (assembly, indexing) lives above.
A write happens inside `writer()`, which is one transaction: a file is written whole or
not at all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from threadline.model.provenance import SourceInfo
from threadline.model.relationship import Reference
from threadline.model.statement import RawRow, StatementRow
from threadline.store.changes import Generation
from threadline.store.judgements import JudgementStore


@dataclass(frozen=True)
class DatasetStats:
    """What one dataset (collection) holds."""

    name: str
    entities: int
    statements: int
    sources: int


# A statement as bulk reads give it: (entity_id, schema, prop, prop_type, value, dataset).
LightRow = tuple[str, str, str, str, str, str]

__all__ = ["DatasetStats", "LightRow", "Reference", "Store", "StoreWriter"]


class StoreWriter(ABC):
    """Adds statements and sources inside one open transaction."""

    @abstractmethod
    def add(self, rows: Sequence[StatementRow | RawRow]) -> None:
        """Stage statements (or raw tuples in their field order); a known statement id
        only moves its `last_seen`."""

    @abstractmethod
    def add_source(self, source: SourceInfo) -> None:
        """Record (or refresh) an ingested file."""


class Store(ABC):
    """The source of truth: append-only statements with provenance."""

    judgements: JudgementStore  # decisions about pairs, and the canonical map

    @abstractmethod
    def writer(self) -> AbstractContextManager[StoreWriter]:
        """A transaction: commits on success, rolls back on any exception."""

    @abstractmethod
    def generation(self) -> Generation:
        """The store's id and generation: bumped by every committed write that changes
        what search should show (ingest, a new canonical map, erasure)."""

    @abstractmethod
    def changes_since(self, number: int) -> set[str] | None:
        """Entity ids changed after generation `number`; None if the log cannot tell
        (pruned past it, or a change to everything, such as an erasure)."""

    @abstractmethod
    def forget_changes(self, upto: int) -> None:
        """Prune the change log up to generation `upto`, which the index reflects."""

    @abstractmethod
    def statements_for(self, entity_ids: Collection[str]) -> dict[str, list[StatementRow]]:
        """All statements of the given entities, keyed by entity id."""

    @abstractmethod
    def iter_entities(
        self, dataset: str | None = None, first: str | None = None, last: str | None = None
    ) -> Iterator[list[StatementRow]]:
        """Statements grouped by entity id, in id order; only `dataset`'s if given, and
        only ids from `first` to `last` (inclusive) if given."""

    def iter_batches(
        self, size: int = 50_000, props: Collection[str] | None = None
    ) -> Iterator[list[LightRow]]:
        """Statements as light rows (entity_id, schema, prop, prop_type, value, dataset),
        in entity id order, in lists of about `size` rows that never part an entity:
        a bulk read for whole-store work such as resolution. With `props`, only those
        properties' statements (the id statement, BASE_PROP, included if named).

        This reference version goes entity by entity; backends read in bulk."""
        wanted = None if props is None else frozenset(props)
        batch: list[LightRow] = []
        for group in self.iter_entities():
            batch.extend(
                (r.entity_id, r.schema, r.prop, r.prop_type, r.value, r.dataset)
                for r in group
                if wanted is None or r.prop in wanted
            )
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    @abstractmethod
    def iter_ids(self) -> Iterator[str]:
        """Every entity id, once each, in order."""

    @abstractmethod
    def references(self, entity_id: str) -> list[Reference]:
        """Statements of other entities whose entity-typed value is `entity_id`."""

    @abstractmethod
    def referrers(self, entity_ids: Collection[str]) -> set[str]:
        """The ids of entities with an entity-typed value among `entity_ids` (the
        links and other entities pointing at them): a link's caption names its ends,
        so it is indexed again when an end changes."""

    @abstractmethod
    def datasets(self) -> list[DatasetStats]:
        """Counts per dataset, ordered by name."""

    @abstractmethod
    def sources(self) -> list[SourceInfo]:
        """Every ingested file."""

    def source_names(self, sha256s: Collection[str] | None = None) -> dict[str, str]:
        """File name of every ingested file, by sha256; with `sha256s`, of those only.
        A file ingested into two datasets under two names is named as `sources()`
        orders it last (by dataset, then name)."""
        wanted = None if sha256s is None else set(sha256s)
        return {s.sha256: s.name for s in self.sources() if wanted is None or s.sha256 in wanted}

    def source_datasets(self) -> set[str]:
        """The datasets that hold an ingested file."""
        return {s.dataset for s in self.sources()}

    @abstractmethod
    def count_statements(self) -> int:
        """The number of statements stored."""

    @abstractmethod
    def count_entities(self) -> int:
        """The number of distinct entity ids."""

    def close(self) -> None:  # noqa: B027 - optional hook; most backends need nothing
        """Release connections."""

    @abstractmethod
    def erase(
        self, dataset: str | None = None, entity_ids: Collection[str] | None = None
    ) -> tuple[set[str], int]:
        """Delete statements for good (the one exception to append-only, for legal
        erasure): a dataset's (with its sources), or the given entities', or only
        those entities' statements in `dataset` if both are given. Returns the
        entity ids touched and the number of statements deleted. Deleted content is
        overwritten, not just unlinked, where the backend allows."""

    @abstractmethod
    def iter_values(self, prop_types: Collection[str]) -> Iterator[tuple[str, ...]]:
        """(entity_id, schema, prop, prop_type, value, dataset) of every statement whose
        property type is one of `prop_types`, in entity id order: a light scan for derived
        views such as the link graph."""
