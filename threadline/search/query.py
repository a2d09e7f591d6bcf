"""The neutral search query and result objects every SearchIndex backend speaks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PHRASE = re.compile(r'"([^"]+)"')


@dataclass(frozen=True)
class SearchQuery:
    """What the user asked for: text, filters, paging and matching toggles."""

    text: str
    schema: str | None = None
    dataset: str | None = None
    country: str | None = None
    limit: int = 10
    offset: int = 0
    fuzzy: bool = True
    facets: bool = True
    highlight: bool = True  # marked snippets of the hit's values (False: none)
    # Name completion (search as you type): match names only, the last word also as
    # the start of a longer one ("Soko" finds Sokolov), and an exact entity id too.
    prefix: bool = False
    # Access: the datasets the caller may read (None: every dataset) and the known
    # datasets they may not. A hit, its caption and every count come only from the
    # readable part of an entity.
    visible: frozenset[str] | None = None
    hidden: frozenset[str] = frozenset()

    def phrases(self) -> list[str]:
        """Quoted parts: each must appear as an exact phrase."""
        return [p.strip() for p in _PHRASE.findall(self.text) if p.strip()]

    def free_text(self) -> str:
        """The text outside quotes."""
        return _PHRASE.sub(" ", self.text).strip()


@dataclass(frozen=True)
class Hit:
    """One matching entity."""

    id: str
    schema: str
    caption: str
    score: float
    datasets: list[str]
    countries: list[str]
    highlights: list[str]
    # The markings of its datasets: filled in at read time from the access store (the
    # index does not hold them, so marking a collection needs no reindex).
    markings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SearchResult:
    """Hits in rank order, the total number of matches, and facet counts."""

    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
