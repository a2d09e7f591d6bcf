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
    # Document facets (threadline.search.facets): a document type (a schema of the
    # Document family, e.g. Email; a Page counts as its document's), an e-mail address
    # in an Email's From/Sender or To/Cc/Bcc, and the year a document or event is dated.
    doc_type: str | None = None
    sender: str | None = None
    recipient: str | None = None
    year: int | None = None
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

    def filters(self) -> dict[str, str]:
        """The facet filters set, by facet name, as the index holds their values
        (addresses lower-cased, years as four digits)."""
        wanted = {
            "schema": self.schema,
            "dataset": self.dataset,
            "country": self.country,
            "doc_type": self.doc_type,
            "sender": self.sender.strip().lower() if self.sender else None,
            "recipient": self.recipient.strip().lower() if self.recipient else None,
            "year": f"{self.year:04d}" if self.year is not None else None,
        }
        return {name: value for name, value in wanted.items() if value}

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
