"""Wire models of documents: one document as its reader sees it."""

from __future__ import annotations

from pydantic import Field

from threadline.api.schemas.wire import Wire
from threadline.app.document_view import DocRef, DocumentView


class DocLink(Wire):
    """Another document: a message of the thread, an attachment, the container."""

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    file_name: str
    date: str

    @classmethod
    def of(cls, ref: DocRef) -> DocLink:
        return cls(
            id=ref.id,
            caption=ref.caption,
            schema=ref.schema,
            file_name=ref.file_name,
            date=ref.date,
        )


class PageOut(Wire):
    """One page: its number, its own entity id, and its image (when it can be drawn)."""

    number: int
    id: str
    image: str | None = Field(description="the path of its PNG, if the page can be drawn")


class DocumentOut(Wire):
    """A document: its file, its pages; an e-mail's headers, thread and attachments."""

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    datasets: list[str]
    page: int | None = Field(description="the page asked for, when a Page's id was given")
    file_name: str
    sha256: str
    size: int | None
    media_type: str
    kept: bool = Field(description="whether the original file is kept (and downloadable)")
    file: str | None = Field(description="the path to download the original file")
    pages: list[PageOut]
    headers: dict[str, list[str]] = Field(description="an e-mail's From, To, Cc and Date")
    subject: str
    thread: list[DocLink]
    attachments: list[DocLink]
    parent: DocLink | None

    @classmethod
    def of(cls, view: DocumentView, prefix: str) -> DocumentOut:
        doc = view.entity
        base = f"{prefix}/documents/{doc.id}"
        return cls(
            id=doc.id,
            caption=doc.caption,
            schema=doc.schema.name,
            datasets=doc.datasets,
            page=view.page,
            file_name=view.file_name,
            sha256=view.sha256,
            size=view.size,
            media_type=view.media_type,
            kept=view.kept,
            file=f"{base}/file" if view.kept else None,
            pages=[
                PageOut(
                    number=p.number,
                    id=p.id,
                    image=f"{base}/pages/{p.number}.png" if view.drawable else None,
                )
                for p in view.pages
            ],
            headers=dict(view.headers),
            subject=view.subject,
            thread=[DocLink.of(r) for r in view.thread],
            attachments=[DocLink.of(r) for r in view.attachments],
            parent=DocLink.of(view.parent) if view.parent is not None else None,
        )
