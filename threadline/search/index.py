"""The SearchIndex interface: a derived view that can always be rebuilt from the store."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from threadline.search.document import IndexDocument
from threadline.search.query import SearchQuery, SearchResult
from threadline.search.readers import ReaderSets

# The store generation an index reflects: the store's id and its generation number.
Generation = tuple[str, int]
# Serialises a document in a backend's own form; module-level, so worker processes
# can be given it (see `SearchIndex.encoder`).
Encoder = Callable[[IndexDocument], str]


@dataclass(frozen=True)
class EncodedChunk:
    """Documents serialised by the index's `encoder` where they were built (a worker
    process), so the writing process only hands them over: one id and one encoded
    document each, an entity's documents together."""

    ids: list[str]
    encoded: list[str]


class IndexBatch(ABC):
    """One write to the index under its write lock: what it drops, what it adds, and
    the store generation the index reflects once it commits (and, if set, the reader
    sets whose slices it holds from then on: see `SearchIndex.readers`)."""

    generation: Generation | None = None
    readers: ReaderSets | None = None

    @abstractmethod
    def clear(self) -> None:
        """Drop every document (readers see them until the batch commits)."""

    @abstractmethod
    def delete(self, ids: Collection[str]) -> None:
        """Drop documents by entity id."""

    @abstractmethod
    def add(self, documents: Iterable[IndexDocument], beside: bool = False) -> int:
        """Add or replace documents (by id); returns the number of ids.

        An entity's documents come together, and after `clear` each id comes once.
        `beside` keeps the documents the index holds for these ids and adds these to
        them (a merged entity's slices for a reader set just covered).
        """

    def add_encoded(self, chunks: Iterable[EncodedChunk], beside: bool = False) -> int:
        """`add` for documents already serialised by the index's `encoder`."""
        raise NotImplementedError(f"{type(self).__name__} takes documents only")


class SearchIndex(ABC):
    """Full-text and name search over entities, with filters and facets."""

    @abstractmethod
    def writing(self, wait: bool = True) -> AbstractContextManager[IndexBatch]:
        """Hold the write lock (waiting for another process's write to end, or with
        `wait=False` raising `IndexBusyError` at once) for one batch; it commits, with
        its generation, when the block ends without error."""

    def encoder(self) -> Encoder | None:
        """A picklable function that serialises documents for `IndexBatch.add_encoded`,
        for worker processes to run; None if the backend takes documents only."""
        return None

    @abstractmethod
    def generation(self) -> Generation | None:
        """The store generation the index reflects; None if it never recorded one."""

    @abstractmethod
    def readers(self) -> ReaderSets | None:
        """The reader sets whose slices of merged entities the index holds (see
        `threadline.search.readers`), as last committed; cheap, as every search of a
        reader of part of the datasets asks. None when the index never recorded them
        (built before they were): it may hold slices for any subsets of datasets."""

    @abstractmethod
    def spanning(self, inside: Collection[str], outside: Collection[str]) -> list[str]:
        """Ids of the entities whose whole document holds a dataset of `inside` and one
        of `outside`: those a reader of `inside` reads part of (which need a slice)."""

    @abstractmethod
    def sliced(self) -> list[str]:
        """Ids of the entities the index holds slices of."""

    @abstractmethod
    def upsert(self, documents: Iterable[IndexDocument]) -> int:
        """Add or replace documents (by id) and make them searchable; returns the count."""

    @abstractmethod
    def delete(self, ids: Collection[str]) -> None:
        """Remove documents by entity id."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Run a query."""

    @abstractmethod
    def clear(self) -> None:
        """Drop every document."""

    @abstractmethod
    def count(self) -> int:
        """Documents in the index."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files and locks."""
