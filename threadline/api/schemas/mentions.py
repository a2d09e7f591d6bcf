"""Wire models of mentions: where an entity is named in documents, with snippets."""

from __future__ import annotations

from threadline.api.schemas.wire import Wire
from threadline.mentions import MentionView


class SnippetOut(Wire):
    """Plain text around the match (not HTML: escape it to show it)."""

    before: str
    match: str
    after: str


class MentionOut(Wire):
    """One place a document names the entity."""

    mention_id: str
    entity_id: str
    document_id: str
    document: str  # the document's caption
    text_entity_id: str  # the Page holding the text, or the document itself
    page: int | None
    start: int  # character offsets in the text value of `text_entity_id`
    end: int
    text: str
    confidence: float
    dataset: str
    snippet: SnippetOut

    @classmethod
    def of(cls, view: MentionView) -> MentionOut:
        snippet = view.snippet
        return cls(
            mention_id=view.mention_id,
            entity_id=view.entity_id,
            document_id=view.document_id,
            document=view.document_caption,
            text_entity_id=view.text_entity_id,
            page=view.page,
            start=view.start,
            end=view.end,
            text=view.text,
            confidence=view.confidence,
            dataset=view.dataset,
            snippet=SnippetOut(before=snippet.before, match=snippet.match, after=snippet.after),
        )
