"""`threadline document ...`: a document's view, a page as a PNG, the original file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from threadline.cli.console import err, out, print_json
from threadline.cli.context import workbench

document_app = typer.Typer(
    name="document",
    help="Read documents: their pages, e-mail headers and threads, page images, files.",
    no_args_is_help=True,
)
DocumentId = Annotated[
    str, typer.Argument(metavar="DOCUMENT_ID", help="A document's id (or one of its pages').")
]


def _write(target: Path, data: bytes | Path) -> None:
    """Write whole or not at all: a staged file renamed into place."""
    staged = target.with_name(target.name + ".partial")
    if isinstance(data, Path):
        shutil.copyfile(data, staged)
    else:
        staged.write_bytes(data)
    staged.replace(target)


@document_app.command("view")
def view(ctx: typer.Context, document_id: DocumentId) -> None:
    """A document's file, pages, and for an e-mail its headers, thread and attachments
    (one JSON object)."""
    with workbench(ctx) as bench:
        found = bench.document_view(document_id)
    print_json(
        {
            "id": found.entity.id,
            "schema": found.entity.schema.name,
            "caption": found.entity.caption,
            "file_name": found.file_name,
            "sha256": found.sha256,
            "kept": found.kept,
            "pages": [{"number": p.number, "id": p.id} for p in found.pages],
            "headers": dict(found.headers),
            "thread": [{"id": m.id, "caption": m.caption} for m in found.thread],
            "attachments": [{"id": a.id, "file_name": a.file_name} for a in found.attachments],
        }
    )


@document_app.command("page")
def page(
    ctx: typer.Context,
    document_id: DocumentId,
    number: Annotated[int, typer.Argument(min=1, help="The page number, from 1.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PNG file to write.")],
) -> None:
    """Draw a page of a PDF document as a PNG (at most 1,600 pixels on its long side)."""
    with workbench(ctx) as bench:
        image = bench.document_page(document_id, number)
    _write(output, image.png)
    err.print(f"page {image.page} of {image.pages} written to {escape(str(output))}")


@document_app.command("file")
def file(
    ctx: typer.Context,
    document_id: DocumentId,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to save it (default: its name).")
    ] = None,
) -> None:
    """Save a document's original file (recorded as a disclosure)."""
    with workbench(ctx) as bench:
        found = bench.document_file(document_id)
    target = output or Path(found.name)
    _write(target, found.path)
    out.print(f"{escape(str(target))} ({found.size:,} bytes, sha256 {found.sha256})")


def register(app: typer.Typer) -> None:
    """Add the document verb group."""
    app.add_typer(document_app, name="document")
