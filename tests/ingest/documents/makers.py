"""Fixture files built in the test itself: PDFs, office files, e-mail and archives."""

from __future__ import annotations

import io
import tarfile
import zipfile
from email.message import EmailMessage
from pathlib import Path

from threadline.demo.pdf import pdf_document


def pdf_bytes(pages: list[str], title: str = "", author: str = "") -> bytes:
    """A valid PDF with one line of Helvetica text per page ("" makes a page with no
    text layer, like a scan), and an Info dictionary with the title and author."""
    return pdf_document([[text] if text else [] for text in pages], title=title, author=author)


def docx_bytes(paragraphs: list[str], title: str = "", author: str = "") -> bytes:
    """A Word document with these paragraphs and core properties."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.title = title
    document.core_properties.author = author
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes(slides: list[str]) -> bytes:
    """A presentation with one text box per slide."""
    import pptx
    from pptx.util import Inches

    deck = pptx.Presentation()
    for text in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
        box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(5), Inches(1))
        box.text_frame.text = text
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def odt_bytes(paragraphs: list[str], title: str) -> bytes:
    """An OpenDocument text with these paragraphs."""
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<office:meta><dc:title>{title}</dc:title></office:meta></office:document-meta>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
        archive.writestr("meta.xml", meta)
    return out.getvalue()


def email_bytes(
    subject: str,
    body: str,
    attachments: dict[str, bytes] | None = None,
    sender: str = "Alice Example <alice@example.org>",
    to: str = "Bob <bob@example.com>",
    message_id: str = "<m1@example.org>",
    in_reply_to: str | None = None,
) -> bytes:
    """An RFC 822 message with attachments."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Cc"] = "carol@example.net"
    message["Subject"] = subject
    message["Date"] = "Tue, 05 Mar 2019 10:11:12 +0000"
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(body)
    for name, data in (attachments or {}).items():
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip archive of these members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def tar_bytes(members: dict[str, bytes], mode: str = "w:gz") -> bytes:
    """A (compressed) tar archive of these members."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as archive:  # type: ignore[call-overload]  # mode is a runtime string
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write a fixture file (making its folders) and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
