"""The document view: a document's pages as images drawn on the server, the link to
download its file, and for an e-mail its headers, thread and attachments.

Nothing of the document runs in our origin: PDF pages arrive as PNGs (no PDF.js),
HTML is never rendered (its text is shown on the entity page, as text), and the
original file is only ever a download (see `threadline.api.routes.documents`).
The same panel (`_document.html`) sits on the entity page of a document.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from threadline.app.document_view import DocumentView
from threadline.errors import ThreadlineError
from threadline.model.entity import Entity
from threadline.web.visitor import Page

router = APIRouter(include_in_schema=False)


def is_document(entity: Entity) -> bool:
    """Whether an entity is a document or one of its pages."""
    return entity.schema.is_a("Document") or entity.schema.name == "Page"


def document_panel(web: Page, entity: Entity) -> DocumentView | None:
    """The panel's view of a document (or page) shown on its entity page; None for
    anything else, or if the document cannot be read as one."""
    if not is_document(entity):
        return None
    try:
        return web.bench.document_view(entity.id)
    except ThreadlineError:
        return None  # the entity page itself says what is readable


@router.get("/documents/{entity_id}/pages/{page}.png")
def page_image(web: Page, entity_id: str, page: int) -> Response:
    """A page's PNG for the pages the browser shows (the session acts, as on any page)."""
    image = web.bench.document_page(entity_id, page)
    headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}
    return Response(image.png, media_type="image/png", headers=headers)


@router.get("/documents/{entity_id:path}")
def document_page(web: Page, entity_id: str) -> HTMLResponse:
    view = web.bench.document_view(entity_id)
    return web.page("document.html", entity=view.entity, document=view)
