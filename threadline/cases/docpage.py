"""Cited document pages: what a note's `[[doc:ID#p3]]` stands for, in a bundle and
on a case page: the page's text (an excerpt), and the file it came from by name and
sha256, so a reader of the bundle can check it against the original.

A citation the reader cannot read is kept with its state (withheld or erased) and
without a word of its text. Lookups happen in the app layer (`cited_pages`); this
module does no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from threadline.cases.citation import DOCUMENT

MAX_EXCERPT = 4_000  # characters of a page's text kept in a bundle
OK, WITHHELD, ERASED = "ok", "withheld", "erased"


@dataclass(frozen=True, slots=True)
class CitedPage:
    """A cited document (page) as the reader may see it."""

    target: str  # as written: `ID#p3` or `ID`
    document_id: str
    page: int | None
    state: str = OK
    entity_id: str = ""  # the Page's own id (the document's, for a whole document)
    caption: str = ""
    file_name: str = ""
    sha256: str = ""
    dataset: str = ""
    text: str = ""

    @property
    def ref(self) -> str:
        return f"{DOCUMENT}:{self.target}"

    @property
    def label(self) -> str:
        """How a page is named: "transfer.pdf, page 3"."""
        name = self.file_name or self.caption or self.document_id
        return f"{name}, page {self.page}" if self.page is not None else name


def excerpt(text: str, limit: int = MAX_EXCERPT) -> str:
    """The start of a page's text, white space runs made single, cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    return (cut[: cut.rindex(" ")] if " " in cut else cut) + " …"


def page_json(cited: CitedPage, anchor: str, markings: list[str]) -> dict[str, Any]:
    """A cited page for the bundle; an unavailable one carries its state only."""
    data: dict[str, Any] = {
        "ref": cited.ref,
        "anchor": anchor,
        "document_id": cited.document_id,
        "page": cited.page,
        "state": cited.state,
    }
    if cited.state != OK:
        return data
    return {
        **data,
        "page_id": cited.entity_id,
        "caption": cited.caption,
        "dataset": cited.dataset,
        "file": {"name": cited.file_name or None, "sha256": cited.sha256 or None},
        "excerpt": excerpt(cited.text),
        "markings": markings,
    }
