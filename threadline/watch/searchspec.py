"""What a search watch saves: its query and the filters of the search it was made
from, so that its re-evaluation asks the same question.

The filters are those of search (`threadline.search.query.SearchQuery`): `schema`,
`dataset`, `country` and the document facets `doc_type`, `sender`, `recipient` and
`year` (`threadline.search.facets`). They are checked and normalised here as search
does (a document type in any case, an address lower-cased, a year from 1 to 9999),
so the watch refuses at once what its every evaluation would refuse. A watch saved
before the document facets has only the first three in its spec; they read as unset.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from threadline.search.facets import document_type, year_value
from threadline.watch.errors import WatchError

FILTERS = ("schema", "dataset", "country", "doc_type", "sender", "recipient", "year")
FACETS = ("doc_type", "sender", "recipient", "year")  # kept in the spec only when set


def search_spec(
    query: str,
    *,
    schema: str | None = None,
    dataset: str | None = None,
    country: str | None = None,
    doc_type: str | None = None,
    sender: str | None = None,
    recipient: str | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    """The spec of a search watch, its filters checked; WatchError names a bad one."""
    try:
        doc_type = document_type(doc_type) if doc_type else None
        if year is not None:
            year_value(year)
    except ValueError as bad:
        raise WatchError(str(bad)) from None
    facets: dict[str, Any] = {
        "doc_type": doc_type,
        "sender": _address(sender),
        "recipient": _address(recipient),
        "year": year,
    }
    spec: dict[str, Any] = {"query": query, "schema": schema, "dataset": dataset}
    spec["country"] = country
    spec.update((name, value) for name, value in facets.items() if value is not None)
    return spec


def _address(value: str | None) -> str | None:
    return value.strip().lower() or None if value else None


def search_filters(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The filters of a search watch's spec, as `SearchQuery` keyword arguments."""
    return {name: spec.get(name) for name in FILTERS}


def filter_labels(spec: Mapping[str, Any]) -> list[str]:
    """The filters set, as `name=value` (for a watch's one-line description)."""
    return [f"{name}={spec[name]}" for name in FILTERS if spec.get(name) not in (None, "")]
