"""Documents: one document as its reader sees it, a page drawn as a PNG, the original file.

The original goes out as a download only: `Content-Disposition: attachment`, a
sandbox CSP (a browser that opens it anyway runs nothing of it in our origin),
`nosniff`, and the stored type only when it is passive (HTML, SVG, XML and the
like go as octet-stream). PDF pages are pixels drawn on the server.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse, Response

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas.documents import DocumentOut
from threadline.app.document_view import DocumentFile

router = APIRouter(tags=["documents"], responses=responses())
PREFIX = "/api/v1"

DocumentId = Annotated[
    str, Path(min_length=1, max_length=200, description="A document's id (or a page's).")
]
PageNumber = Annotated[int, Path(ge=1, le=100_000, description="The page number, from 1.")]
# Whatever a downloaded file is, it runs nothing in our origin, and no cache keeps it.
FILE_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
}
IMAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, max-age=300",
}
PNG: dict[int | str, dict[str, Any]] = {
    200: {"description": "The page as a PNG image", "content": {"image/png": {}}}
}
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {"description": "The original file", "content": {"application/octet-stream": {}}}
}


def disposition(name: str) -> str:
    """`attachment` with the name both as ASCII (for old clients) and as UTF-8 (RFC 6266)."""
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(found: DocumentFile) -> FileResponse:
    """The original, labelled to be saved and never shown in our origin."""
    headers = {**FILE_HEADERS, "Content-Disposition": disposition(found.name)}
    return FileResponse(found.path, media_type=found.media_type, headers=headers)


@router.get("/documents/{document_id}", response_model=DocumentOut)
def document(bench: Bench, document_id: DocumentId) -> DocumentOut:
    """`Workbench.document_view(document_id)`: the document's file, pages (with the
    paths of their images), and for an e-mail its headers, thread and attachments."""
    return DocumentOut.of(bench.document_view(document_id), PREFIX)


@router.get(
    "/documents/{document_id}/pages/{page}.png",
    response_class=Response,
    responses=PNG,
)
def page_image(bench: Bench, document_id: DocumentId, page: PageNumber) -> Response:
    """`Workbench.document_page(document_id, page)`: the page of a PDF drawn as a PNG,
    at most 1,600 pixels on its long side; 404 for a page the document lacks."""
    image = bench.document_page(document_id, page)
    return Response(image.png, media_type="image/png", headers=IMAGE_HEADERS)


@router.get("/documents/{document_id}/file", response_class=FileResponse, responses=DOWNLOAD)
def original(bench: Bench, document_id: DocumentId) -> FileResponse:
    """`Workbench.document_file(document_id)`: the original file as a download,
    audited as a disclosure; active types (HTML, SVG, XML...) as octet-stream."""
    return file_response(bench.document_file(document_id))
