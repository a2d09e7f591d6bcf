"""Name suggestions: the entities whose names start like what the user is typing.

A suggestion is a search (captions of readable entities leave the store), so it goes
through the same access control and the same audit log as `search`: a consultation
that needs a case or a purpose, naming the ids it showed, with the query hashed.
It is not a kind of its own: what it does with the data is what a search does. Its
action is `suggest`, so an auditor can tell typing from searching, and the cost of
one event per suggestion is kept down by the callers (the web picker asks only from
two characters, after a pause in typing, for a handful of names).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from threadline.app.verbs.base import VerbsBase
from threadline.model.schema import get_schema
from threadline.search import SearchQuery, SearchResult

MIN_CHARS = 2  # fewer letters would suggest half the store
MAX_LIMIT = 50


class SuggestVerbs(VerbsBase):
    """Complete a name to the entities the caller may read."""

    if TYPE_CHECKING:  # the Workbench's own, which `search` goes through too

        def _scoped_search(self, action: str, query: SearchQuery) -> SearchResult: ...

    def suggest(
        self,
        query: str,
        *,
        schema: str | None = None,
        dataset: str | None = None,
        country: str | None = None,
        limit: int = 8,
    ) -> SearchResult:
        """Entities whose names start like `query` (the last word may be unfinished;
        typos are allowed in longer words), or whose id it is, best first: only what
        the caller may read, without facets. `schema` includes its descendants."""
        text = query.strip()
        if len(text) < MIN_CHARS:
            raise ValueError(f"query: type at least {MIN_CHARS} characters")
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit: must be between 1 and {MAX_LIMIT}")
        if schema is not None:
            try:
                get_schema(schema)
            except ValueError:
                raise ValueError(f"schema: no schema named {schema!r}") from None
        wanted = SearchQuery(
            text=text,
            schema=schema,
            dataset=dataset,
            country=country,
            limit=limit,
            facets=False,
            prefix=True,
        )
        return self._scoped_search("suggest", wanted)
