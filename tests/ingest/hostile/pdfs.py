"""PDFs that are broken, lying, looping, nested to death, encrypted or active, and
polyglots: files that are two formats at once, or wear another format's name."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable

from tests.ingest.hostile.entry import ANY, REFUSED, Entry
from tests.ingest.hostile.packing import zip_of
from tests.ingest.hostile.target import Target
from threadline.demo.pdf import pdf_document, serialise

MALFORMED = "malformed PDFs"
POLYGLOTS = "polyglots"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def raw_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of these objects (1 is the catalog, 2 the page tree) with a correct xref."""
    return serialise(objects, trailer, version="1.7")


def _catalog(extra: bytes = b"") -> bytes:
    return b"<< /Type /Catalog /Pages 2 0 R " + extra + b">>"


def _text(_: Target) -> bytes:
    return pdf_document([["a page of text"], ["another page"]], title="fine")


def _many_pages(_: Target) -> bytes:
    count = 10_050
    kids = b" ".join(b"3 0 R" for _ in range(count))
    tree = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count
    return raw_pdf([_catalog(), tree, PAGE])


def _count_lie(_: Target) -> bytes:
    return raw_pdf([_catalog(), b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>", PAGE])


def _kids_cycle(_: Target) -> bytes:
    return raw_pdf([_catalog(), b"<< /Type /Pages /Kids [2 0 R 1 0 R] /Count 3 >>"])


def _deep_arrays(_: Target) -> bytes:
    deep = b"[" * 100_000 + b"]" * 100_000
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    return raw_pdf([_catalog(), pages, PAGE, b"<< /Title " + deep + b" >>"], b"/Info 4 0 R ")


def _deep_dicts(_: Target) -> bytes:
    deep = b"<< /A " * 50_000 + b"1" + b" >>" * 50_000
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources " + deep + b" >>"
    return raw_pdf([_catalog(), pages, PAGE])


def _flate_bomb(_: Target) -> bytes:
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n" + b" " * (64 << 20), 9)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    return raw_pdf([_catalog(), pages, page, stream + content + b"\nendstream"])


def _xref_loop(_: Target) -> bytes:
    data = pdf_document([["looping xref"]])
    start = data.rindex(b"startxref\n") + len(b"startxref\n")
    xref = int(data[start:].split(b"\n")[0])
    return data.replace(b"trailer\n<<", b"trailer\n<< /Prev %d" % xref)


def _encrypted(_: Target) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    # A fixed file id and RC4 (no random salt or IV), so the bytes are the same each time.
    writer._ID = ArrayObject([ByteStringObject(b"0" * 16), ByteStringObject(b"0" * 16)])
    writer.encrypt(user_password="hunter2", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _active(target: Target) -> bytes:
    actions = (
        b"/OpenAction << /S /JavaScript /JS (app.launchURL\\('" + target.url.encode()
        + b"'\\)) >> /AA << /WC << /S /Launch /F (/bin/sh) >> >> "
        b"/URI << /Base (" + target.url.encode() + b") >> "
        b"/Names << /EmbeddedFiles << /Names [(canary) << /Type /Filespec /FS /URL /F ("
        + target.file_url.encode() + b") >>] >> >> "
    )  # fmt: skip
    content = b"BT /F1 12 Tf 72 720 Td (active content) Tj ET"
    stream = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources "
        b"<< /Font << /F1 5 0 R >> >> /Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9]"
        b" /A << /S /URI /URI (" + target.url.encode() + b"/annot) >> >>] >>"
    )
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    return raw_pdf([_catalog(actions), pages, page, stream, font])


def _huge_page(_: Target) -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>"
    return raw_pdf([_catalog(), b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page])


def _pdf_zip(tag: str) -> Callable[[Target], bytes]:
    def make(target: Target) -> bytes:
        return _text(target) + zip_of([("inside.txt", f"the zip half ({tag})".encode())])

    return make


def _gifar(tag: str) -> Callable[[Target], bytes]:
    gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;"

    def make(target: Target) -> bytes:
        return gif + zip_of([("payload.class", f"\xca\xfe not java ({tag})".encode())])

    return make


def _html_in_pdf(target: Target) -> bytes:
    return b"%PDF-1.4\n<html><script>fetch('" + target.url.encode() + b"')</script></html>\n"


def _jpeg_html(target: Target) -> bytes:
    return b"\xff\xd8\xff\xe0<script>fetch('" + target.url.encode() + b"')</script>\xff\xd9"


MAKERS = [
    Entry("empty.pdf", MALFORMED, lambda t: b"", REFUSED),
    Entry("header-only.pdf", MALFORMED, lambda t: b"%PDF-1.4\n%%EOF\n", REFUSED),
    Entry("truncated.pdf", MALFORMED, lambda t: _text(t)[:200], ANY),
    Entry("garbage.pdf", MALFORMED, lambda t: b"%PDF-1.7\n" + bytes(range(256)) * 64, REFUSED),
    Entry("many-pages.pdf", MALFORMED, _many_pages, REFUSED),
    Entry("count-lie.pdf", MALFORMED, _count_lie),
    Entry("kids-cycle.pdf", MALFORMED, _kids_cycle),
    Entry("deep-arrays.pdf", MALFORMED, _deep_arrays),
    Entry("deep-dicts.pdf", MALFORMED, _deep_dicts),
    Entry("flate-bomb.pdf", MALFORMED, _flate_bomb),
    Entry("xref-loop.pdf", MALFORMED, _xref_loop),
    Entry("encrypted.pdf", MALFORMED, _encrypted, REFUSED),
    Entry("active-content.pdf", MALFORMED, _active),
    Entry("huge-page.pdf", MALFORMED, _huge_page),
    Entry("pdf-zip.pdf", POLYGLOTS, _pdf_zip("pdf")),
    Entry("pdf-zip.zip", POLYGLOTS, _pdf_zip("zip")),
    Entry("gifar.gif", POLYGLOTS, _gifar("gif")),
    Entry("gifar.zip", POLYGLOTS, _gifar("zip")),
    Entry("html-in.pdf", POLYGLOTS, _html_in_pdf),
    Entry("jpeg-html.jpg", POLYGLOTS, _jpeg_html),
    Entry("pdf-named.docx", POLYGLOTS, _text, REFUSED),
    Entry("zip-named.png", POLYGLOTS, lambda t: zip_of([("a.txt", b"zip as png")]), REFUSED),
    Entry("gzip-named.pdf", POLYGLOTS, lambda t: gzip.compress(_text(t), mtime=0), REFUSED),
    Entry("pdf-no-suffix", POLYGLOTS, lambda t: pdf_document([["a PDF without a suffix"]])),
    Entry("zip-no-suffix", POLYGLOTS, lambda t: zip_of([("a.txt", b"zip without a name")])),
]
