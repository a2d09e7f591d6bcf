"""A small PDF writer: lines of Helvetica text per page, and an Info dictionary.

The demo's invoice is written with it, and tests build their PDFs with it. Text is
encoded as Windows-1252 (the standard `WinAnsiEncoding` of the base-14 fonts), so
"Brückenbau" reads back as written; a character outside it is refused, not mangled.
A page of no lines has no text layer, as a scan has.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

LEADING = 16  # points between lines
TOP = 760


def _string(text: str) -> bytes:
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError as error:
        raise ValueError(f"{text!r} has characters a base-14 PDF font cannot show") from error
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _content(lines: Sequence[str]) -> bytes:
    if not lines:
        return b""
    shown = b" T* ".join(_string(line) + b" Tj" for line in lines)
    return f"BT /F1 11 Tf {LEADING} TL 56 {TOP} Td ".encode() + shown + b" ET"


def pdf_document(
    pages: Sequence[Sequence[str]],
    *,
    title: str = "",
    author: str = "",
    created: datetime = datetime(2019, 3, 4, 5, 6, 7),
) -> bytes:
    """The bytes of a valid PDF (A4 pages) with these lines on each page."""
    count = len(pages)
    font = 3 + 2 * count
    info = font + 1
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(f"{3 + 2 * i} 0 R".encode() for i in range(count))
        + f"] /Count {count} >>".encode(),
    ]
    for i, lines in enumerate(pages):
        stream = _content(lines)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    stamp = created.strftime("D:%Y%m%d%H%M%SZ").encode()
    objects.append(
        b"<< /Title "
        + _string(title)
        + b" /Author "
        + _string(author)
        + b" /CreationDate ("
        + stamp
        + b") >>"
    )
    return serialise(objects, f"/Info {info} 0 R ".encode())


def serialise(objects: Sequence[bytes], trailer: bytes = b"", version: str = "1.4") -> bytes:
    """A PDF file of these object bodies (object 1 is the catalog), numbered in order,
    with a correct cross-reference table; `trailer` adds entries to the trailer."""
    out = io.BytesIO()
    out.write(f"%PDF-{version}\n".encode())
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R ".encode() + trailer + b">>\n")
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
