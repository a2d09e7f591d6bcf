"""Extraction of each format into FtM entities, with real parsers and files built here."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import lzma
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.extract import Extraction
from threadline.ingest.documents.limits import DocumentLimits

from .makers import (
    docx_bytes,
    email_bytes,
    odt_bytes,
    pdf_bytes,
    pptx_bytes,
    tar_bytes,
    write,
    zip_bytes,
)


def extract(
    tmp_path: Path, name: str, data: bytes, limits: DocumentLimits | None = None
) -> tuple[list[EntityProxy], Extraction]:
    path = write(tmp_path, name, data)
    ctx = Extraction(str(path), limits or DocumentLimits())
    return list(ctx.document(Blob(path.name, path.name, path))), ctx


def by_schema(entities: list[EntityProxy], schema: str) -> list[EntityProxy]:
    return [e for e in entities if e.schema.name == schema]


def test_pdf_gives_a_page_per_page_with_its_number_text_and_metadata(tmp_path: Path) -> None:
    data = pdf_bytes(["First page", "The secret ledger"], title="Annual report", author="Jane Roe")
    entities, ctx = extract(tmp_path, "report.pdf", data)
    (doc,) = by_schema(entities, "Pages")
    pages = sorted(by_schema(entities, "Page"), key=lambda p: p.first("index") or "")
    assert [(p.first("index"), p.first("bodyText")) for p in pages] == [
        ("1", "First page"),
        ("2", "The secret ledger"),
    ]
    assert all(p.first("document") == doc.id for p in pages)
    assert doc.first("contentHash") == hashlib.sha256(data).hexdigest()
    assert doc.first("fileSize") == str(len(data))
    assert doc.first("mimeType") == "application/pdf"
    assert doc.get("fileName") == ["report.pdf"]
    assert doc.first("title") == "Annual report"
    assert doc.first("author") == "Jane Roe"
    assert doc.first("authoredAt") == "2019-03-04T05:06:07"
    assert doc.first("processingStatus") == "success"
    assert doc.get("bodyText") == []  # the text is on the pages, so a hit names its page
    assert ctx.failures == [] and ctx.notices == []


def test_a_pdf_page_without_text_is_noted_when_ocr_is_off(tmp_path: Path) -> None:
    entities, ctx = extract(tmp_path, "scan.pdf", pdf_bytes(["Typed", ""]))
    (doc,) = by_schema(entities, "Pages")
    assert doc.first("processingStatus") == "success"
    (notice,) = ctx.notices
    assert (
        notice.message == "page 2 has no text layer and was not OCRed: OCR is off for this ingest"
    )
    assert doc.get("processingError") == [notice.message]
    assert doc.get("processingAgent") == ["threadline"]  # no OCR agent


def test_a_broken_pdf_is_a_failed_document_naming_the_reason(tmp_path: Path) -> None:
    entities, ctx = extract(tmp_path, "broken.pdf", b"%PDF-1.4 truncated nonsense")
    (doc,) = entities
    assert doc.first("processingStatus") == "failure"
    assert "not a readable PDF" in (doc.first("processingError") or "")
    assert [f.where for f in ctx.failures] == [str(tmp_path / "broken.pdf")]


def test_docx_is_plain_text_with_core_properties(tmp_path: Path) -> None:
    data = docx_bytes(["Payment to Wayne Enterprises", "Second line"], "Memo", "Bob Smith")
    (doc,), _ = extract(tmp_path, "memo.docx", data)
    assert doc.schema.name == "PlainText"
    assert doc.first("bodyText") == "Payment to Wayne Enterprises\nSecond line"
    assert (doc.first("title"), doc.first("author")) == ("Memo", "Bob Smith")
    assert doc.first("processingStatus") == "success"


def test_pptx_gives_a_page_per_slide(tmp_path: Path) -> None:
    entities, _ = extract(tmp_path, "deck.pptx", pptx_bytes(["About Falcone", "About Maroni"]))
    pages = {p.first("index"): p.first("bodyText") for p in by_schema(entities, "Page")}
    assert pages == {"1": "About Falcone", "2": "About Maroni"}
    assert by_schema(entities, "Pages")[0].first("processingStatus") == "success"


def test_odt_text_and_title(tmp_path: Path) -> None:
    (doc,), _ = extract(tmp_path, "notes.odt", odt_bytes(["One", "Two Penguin"], "Notes"))
    assert doc.schema.name == "PlainText"
    assert doc.first("bodyText") == "One\nTwo Penguin"
    assert doc.first("title") == "Notes"


def test_text_markdown_rtf_and_html(tmp_path: Path) -> None:
    (md,), _ = extract(tmp_path, "a.md", "# Über\nMarkdown about Riddler\n".encode())
    assert (md.schema.name, md.first("mimeType")) == ("PlainText", "text/markdown")
    assert md.first("bodyText") == "# Über\nMarkdown about Riddler"
    (latin,), _ = extract(tmp_path, "b.txt", "Grüße aus Köln".encode("cp1252"))
    assert latin.first("bodyText") == "Grüße aus Köln"
    (rtf,), _ = extract(tmp_path, "c.rtf", rb"{\rtf1\ansi Hello {\b Alfred}}")
    assert rtf.first("bodyText") == "Hello Alfred"
    html = b"<html><head><title>T</title><script>var x = 1</script></head><body><p>Joker</p></body></html>"
    (page,), _ = extract(tmp_path, "d.html", html)
    assert (page.schema.name, page.first("title"), page.first("bodyText")) == (
        "HyperText",
        "T",
        "Joker",
    )


def test_email_headers_parties_and_attachments(tmp_path: Path) -> None:
    data = email_bytes(
        "Re: ledger",
        "See attached.",
        {"ledger.txt": b"ledger line Harvey Dent", "scan.pdf": pdf_bytes(["Attached page"])},
        in_reply_to="<m0@example.org>",
    )
    entities, ctx = extract(tmp_path, "mail.eml", data)
    (mail,) = by_schema(entities, "Email")
    assert mail.first("subject") == "Re: ledger"
    assert mail.first("bodyText") == "See attached."
    assert mail.first("messageId") == "m1@example.org"
    assert mail.first("inReplyTo") == "m0@example.org"
    assert mail.first("date") == "2019-03-05T10:11:12"
    assert mail.first("from") == "Alice Example <alice@example.org>"
    parties = {p.first("email"): p for p in by_schema(entities, "LegalEntity")}
    assert set(parties) == {"alice@example.org", "bob@example.com", "carol@example.net"}
    assert mail.get("emitters") == [parties["alice@example.org"].id]
    assert set(mail.get("recipients")) == {
        parties["bob@example.com"].id,
        parties["carol@example.net"].id,
    }
    (attachment,) = by_schema(entities, "PlainText")
    assert attachment.first("parent") == mail.id
    assert attachment.first("bodyText") == "ledger line Harvey Dent"
    (page,) = by_schema(entities, "Page")
    assert page.first("bodyText") == "Attached page"
    assert by_schema(entities, "Pages")[0].first("parent") == mail.id
    assert ctx.failures == []


def test_mbox_is_a_package_of_emails(tmp_path: Path) -> None:
    first = email_bytes("First", "Body one", message_id="<a@x>")
    second = email_bytes("Second", "From the start of a line", message_id="<b@x>")
    mbox = b"From a@x Tue Mar  5 10:11:12 2019\n" + first + b"\nFrom b@x Tue Mar  5 10:11:12 2019\n"
    mbox += second.replace(b"\nFrom the", b"\n>From the")
    entities, _ = extract(tmp_path, "box.mbox", mbox)
    (package,) = by_schema(entities, "Package")
    mails = {m.first("subject"): m for m in by_schema(entities, "Email")}
    assert set(mails) == {"First", "Second"}
    assert all(m.first("parent") == package.id for m in mails.values())
    assert mails["Second"].first("bodyText") == "From the start of a line"


def test_zip_members_are_children_with_their_path_and_no_traversal(tmp_path: Path) -> None:
    data = zip_bytes({"inner/a.txt": b"member Catwoman", "../../etc/evil.txt": b"Bane"})
    entities, _ = extract(tmp_path, "bundle.zip", data)
    (package,) = by_schema(entities, "Package")
    children = {tuple(c.get("fileName")): c for c in by_schema(entities, "PlainText")}
    assert set(children) == {("a.txt", "inner/a.txt"), ("evil.txt", "etc/evil.txt")}
    assert all(c.first("parent") == package.id for c in children.values())
    child = children[("a.txt", "inner/a.txt")]
    assert child.first("contentHash") == hashlib.sha256(b"member Catwoman").hexdigest()
    assert not (tmp_path / "etc").exists()  # nothing is written to disk


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("t.tar.gz", tar_bytes({"t/b.txt": b"Scarecrow"})),
        ("t.tar", tar_bytes({"t/b.txt": b"Scarecrow"}, "w")),
        ("b.txt.gz", gzip.compress(b"Scarecrow")),
        ("b.txt.bz2", bz2.compress(b"Scarecrow")),
        ("b.txt.xz", lzma.compress(b"Scarecrow")),
    ],
    # Named by file, not by bytes: gzip and tar stamp the time of compressing, and test
    # ids that differ between pytest-xdist workers stop the run at collection.
    ids=["t.tar.gz", "t.tar", "b.txt.gz", "b.txt.bz2", "b.txt.xz"],
)
def test_tar_and_compressed_files(tmp_path: Path, name: str, data: bytes) -> None:
    entities, _ = extract(tmp_path, name, data)
    (package,) = by_schema(entities, "Package")
    (child,) = by_schema(entities, "PlainText")
    assert child.first("bodyText") == "Scarecrow"
    assert child.first("parent") == package.id
    assert package.first("processingStatus") == "success"


def test_a_compression_bomb_fails_its_archive_only(tmp_path: Path) -> None:
    limits = DocumentLimits(ratio_floor_bytes=1024, max_compression_ratio=50)
    bomb = zip_bytes({"zeros.txt": b"\0" * 2_000_000, "fine.txt": b"kept"})
    (doc,), ctx = extract(tmp_path, "bomb.zip", bomb, limits)
    assert doc.first("processingStatus") == "failure"
    assert "zip bomb" in (doc.first("processingError") or "")
    gz, _ = extract(tmp_path, "z.gz", gzip.compress(b"\0" * 2_000_000), limits)
    assert gz[0].first("processingStatus") == "failure"
    assert "compression bomb" in (gz[0].first("processingError") or "")
    assert len(ctx.failures) == 1


def test_nesting_and_member_counts_are_bounded(tmp_path: Path) -> None:
    nested = b"deep"
    for _ in range(4):
        nested = zip_bytes({"inner.zip": nested})
    entities, ctx = extract(tmp_path, "nest.zip", nested, DocumentLimits(max_depth=2))
    assert [f.message for f in ctx.failures] == [
        "is nested 3 containers deep, more than the 2 allowed"
    ]
    assert ctx.failures[0].where.endswith("nest.zip!inner.zip")
    many = zip_bytes({f"{i}.txt": b"x" for i in range(5)})
    entities, ctx = extract(tmp_path, "many.zip", many, DocumentLimits(max_members=3))
    (package,) = by_schema(entities, "Package")
    assert package.first("processingStatus") == "failure"
    assert "more than 3 files" in (package.first("processingError") or "")
    assert len(by_schema(entities, "PlainText")) == 3  # what came before the limit is kept


def test_legacy_office_and_a_broken_image_are_failures(tmp_path: Path) -> None:
    (doc,), ctx = extract(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert doc.first("processingStatus") == "failure"
    assert "legacy Office" in ctx.failures[0].message
    (image,), ctx = extract(tmp_path, "photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 10)
    assert (image.schema.name, image.first("processingStatus")) == ("Image", "failure")
    assert "is not a readable image" in ctx.failures[0].message


def test_xlsx_in_a_folder_is_a_workbook_with_its_cells_text(tmp_path: Path) -> None:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Payments"
    sheet.append(["payer", "amount"])
    sheet.append(["Oswald Cobblepot", 1200])
    out = io.BytesIO()
    book.save(out)
    (doc,), _ = extract(tmp_path, "ledger.xlsx", out.getvalue())
    assert doc.schema.name == "Workbook"
    assert doc.first("bodyText") == "Payments\npayer\tamount\nOswald Cobblepot\t1200"
    assert doc.first("author") == "openpyxl"  # openpyxl's default creator
