"""Where an entity is mentioned, as a reader sees it: the document, the page, the
matched text and a snippet of the text around it.

Built from statements the reader may read only: a mention whose statements, or a
place whose text, lie outside them is not shown (see `Workbench.mentions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from threadline.mentions.mention import CONFIDENCE, SPAN, Span
from threadline.model.statement import StatementRow

SNIPPET_CHARS = 80  # of text on each side of the match


@dataclass(frozen=True)
class Snippet:
    """The text before the match, the match, and the text after (each plain text)."""

    before: str
    match: str
    after: str


@dataclass(frozen=True)
class MentionView:
    """One place an entity is mentioned."""

    mention_id: str
    entity_id: str
    document_id: str
    document_caption: str
    text_entity_id: str  # the Page, or the document itself
    page: int | None
    start: int
    end: int
    text: str
    confidence: float
    dataset: str
    snippet: Snippet
    statement_id: str = ""  # the text statement the offsets are in
    entity_caption: str = ""  # the mentioned entity's, when asked for (see `within`)


def snippet(text: str, start: int, end: int, width: int = SNIPPET_CHARS) -> Snippet:
    """The match in `text` with up to `width` characters either side, cut at spaces and
    with white space runs made single spaces."""
    lo, hi = max(0, start - width), min(len(text), end + width)
    before, after = text[lo:start], text[end:hi]
    if lo > 0 and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if hi < len(text) and " " in after:
        after = after[: after.rindex(" ")] + "…"

    def tidy(part: str) -> str:
        kept = " ".join(part.split())
        return (" " if part[:1].isspace() else "") + kept + (" " if part[-1:].isspace() else "")

    return Snippet(tidy(before).lstrip(), " ".join(text[start:end].split()), tidy(after).rstrip())


def views(
    mention: list[StatementRow],
    texts: Mapping[str, StatementRow],
    captions: Mapping[str, str],
) -> list[MentionView]:
    """The places of one mention (its readable statements), each with its snippet from
    `texts` (readable text statements by id) and document caption from `captions`.
    A place whose text is not in `texts` is left out."""
    values: dict[str, list[StatementRow]] = {}
    for row in mention:
        values.setdefault(row.prop, []).append(row)
    needed = ("document", "resolved", SPAN)
    if any(prop not in values for prop in needed):
        return []
    document = values["document"][0].value
    if document not in captions:
        return []
    sure = [float(r.value) for r in values.get(CONFIDENCE, [])]
    found: list[MentionView] = []
    for row in values[SPAN]:
        span = Span.parse(row.value)
        text = texts.get(span.statement_id)
        if text is None or span.end > len(text.value):
            continue
        found.append(
            MentionView(
                mention_id=row.entity_id,
                entity_id=values["resolved"][0].value,
                document_id=document,
                document_caption=captions[document],
                text_entity_id=span.text_entity,
                page=row.location,
                start=span.start,
                end=span.end,
                text=text.value[span.start : span.end],
                confidence=max(sure, default=0.0),
                dataset=row.dataset,
                snippet=snippet(text.value, span.start, span.end),
                statement_id=span.statement_id,
            )
        )
    return found
