"""The dispatcher: which format a blob is (by its name, checked against its first bytes),
the FtM schema it becomes, and the module that extracts it.

Extractor modules are imported when a file of their kind is met, so a CLI that
ingests CSV never loads a PDF library.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from followthemoney.proxy import EntityProxy

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import guess_mime

if TYPE_CHECKING:
    from threadline.ingest.documents.extract import Extraction

Handler = Callable[["Extraction", EntityProxy, Blob], Iterator[EntityProxy]]


@dataclass(frozen=True)
class Format:
    """A kind of file: its schema, its mime type ("" to guess from the name), its extractor."""

    name: str
    schema: str
    mime: str
    module: str  # in threadline.ingest.documents
    function: str = "extract"

    def handler(self) -> Handler:
        """The extractor function."""
        module = importlib.import_module(f"threadline.ingest.documents.{self.module}")
        handler: Handler = getattr(module, self.function)
        return handler


_OOXML = "application/vnd.openxmlformats-officedocument"
PDF = Format("pdf", "Pages", "application/pdf", "pdf")
DOCX = Format("docx", "PlainText", f"{_OOXML}.wordprocessingml.document", "office", "extract_docx")
PPTX = Format("pptx", "Pages", f"{_OOXML}.presentationml.presentation", "office", "extract_pptx")
XLSX = Format("xlsx", "Workbook", f"{_OOXML}.spreadsheetml.sheet", "office", "extract_xlsx")
ODT = Format("odt", "PlainText", "application/vnd.oasis.opendocument.text", "opendoc")
ODP = Format("odp", "Pages", "application/vnd.oasis.opendocument.presentation", "opendoc")
TEXT = Format("text", "PlainText", "", "text")
RTF = Format("rtf", "PlainText", "application/rtf", "text", "extract_rtf")
HTML = Format("html", "HyperText", "text/html", "html")
EML = Format("eml", "Email", "message/rfc822", "email")
MSG = Format("msg", "Email", "application/vnd.ms-outlook", "msg")
MBOX = Format("mbox", "Package", "application/mbox", "email", "extract_mbox")
ZIP = Format("zip", "Package", "application/zip", "archive", "extract_zip")
TAR = Format("tar", "Package", "application/x-tar", "archive", "extract_tar")
GZIP = Format("gzip", "Package", "application/gzip", "archive", "extract_stream")
BZIP2 = Format("bzip2", "Package", "application/x-bzip2", "archive", "extract_stream")
XZ = Format("xz", "Package", "application/x-xz", "archive", "extract_stream")
IMAGE = Format("image", "Image", "", "other", "extract_image")
LEGACY = Format("legacy", "Document", "application/x-ole-storage", "other", "extract_legacy")
OTHER = Format("other", "Document", "", "other")

_TAR_SUFFIXES = (".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz")
_BY_SUFFIX = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".pptx": PPTX,
    ".xlsx": XLSX,
    ".odt": ODT,
    ".odp": ODP,
    ".rtf": RTF,
    ".htm": HTML,
    ".html": HTML,
    ".xhtml": HTML,
    ".eml": EML,
    ".mbox": MBOX,
    ".zip": ZIP,
    ".gz": GZIP,
    ".bz2": BZIP2,
    ".xz": XZ,
    ".doc": LEGACY,
    ".xls": LEGACY,
    ".ppt": LEGACY,
    ".msg": MSG,
}
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".csv", ".tsv", ".json", ".log", ".xml")
_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp")
_MAGIC: list[tuple[bytes, Format]] = [
    (b"%PDF", PDF),
    (b"PK\x03\x04", ZIP),
    (b"\x1f\x8b", GZIP),
    (b"BZh", BZIP2),
    (b"\xfd7zXZ\x00", XZ),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", LEGACY),
]


def detect(blob: Blob) -> Format:
    """The blob's format: by its name, else by its first bytes, else plain text if it
    reads as text, else an opaque document (hash and size only)."""
    name = blob.name.lower()
    if name.endswith(_TAR_SUFFIXES):
        return TAR
    known = _BY_SUFFIX.get(blob.suffix)
    if known is not None:
        return known
    if blob.suffix in TEXT_SUFFIXES:
        return TEXT
    if blob.suffix in _IMAGES:
        return IMAGE
    head = blob.head(512)
    for magic, found in _MAGIC:
        if head.startswith(magic):
            return found
    if len(head) >= 262 and head[257:262] == b"ustar":
        return TAR
    if head.startswith(b"From ") and b"\n" in head:
        return MBOX
    if _looks_like_text(head):
        return TEXT
    return OTHER


def mime_of(fmt: Format, blob: Blob) -> str:
    """The mime type to record."""
    if fmt is TEXT and blob.suffix in (".md", ".markdown"):
        return "text/markdown"
    return fmt.mime or guess_mime(blob.name)


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True
