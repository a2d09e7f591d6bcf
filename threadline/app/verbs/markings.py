"""Markings travel with the data: search hits, graph exports and case bundles carry
the markings of the collections behind each item, as entity views and exports do.

They are computed at read time with `Scope.markings` (the one place that maps
collections to markings), never stored in a derived view: marking or unmarking a
collection shows on the next call, with no reindex or rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from threadline.app.accountability import Scope
from threadline.search import SearchResult

Markings = Callable[[Iterable[str]], list[str]]


def markings_of(scope: Scope) -> Markings:
    """The markings of a set of datasets, as `scope` may know them: only those of
    datasets it reads (a hidden collection's markings are not its business)."""

    def markings(datasets: Iterable[str]) -> list[str]:
        return scope.markings(d for d in datasets if scope.sees(d))

    return markings


def marked(scope: Scope, result: SearchResult) -> SearchResult:
    """The search result with each hit's markings filled in."""
    markings = markings_of(scope)
    hits = [replace(hit, markings=markings(hit.datasets)) for hit in result.hits]
    return replace(result, hits=hits)
