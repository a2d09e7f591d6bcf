"""The SearchIndex interface: a derived view that can always be rebuilt from the store."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable

from threadline.search.document import IndexDocument
from threadline.search.query import SearchQuery, SearchResult


class SearchIndex(ABC):
    """Full-text and name search over entities, with filters and facets."""

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
