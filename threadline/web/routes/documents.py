"""The document view: a document's pages as images drawn on the server, the link to
download its file, and for an e-mail its headers, thread and attachments.

Nothing of the document runs in our origin: PDF pages arrive as PNGs (no PDF.js),
HTML is never rendered (its text is shown on the entity page, as text), and the
original file is only ever a download (see `threadline.api.routes.documents`).
A document's entity page links here (`_document.html`), and this page links back.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from threadline.web.visitor import Page

router = APIRouter(include_in_schema=False)


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
