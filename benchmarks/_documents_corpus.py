"""The generated documents corpus of `documents.py`: text PDFs, DOCX, e-mails with
attachments, zips and scans (PNG images and image-only PDF pages), made from a seed.

Files are laid out by kind, so each kind can be ingested (and timed) on its own:
`pdf/` (text PDFs), `scans/` (PNG scans and image-only PDFs), `mixed/` (DOCX, e-mails
with a PDF or DOCX attached, zips of PDFs and e-mails). `anchor/` holds each scanned
page as the PNG it was made from, for the Tesseract anchor; it is not ingested.

Every page carries different text (a scan is never a repeat of another), so neither
threadline's OCR cache nor any index can answer from a copy. Names from a fixed list
and a few fixed phrases are sprinkled in, for the search queries.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from random import Random

from _names import NameFactory

_VOCABULARY = (
    "the of and to in that for on with as by at from this which payment invoice account "
    "transfer contract meeting agreed according services consulting board report annual "
    "minutes shares director company bank pursuant clause schedule amount total due date "
    "received signed reference attached please regards offshore trust nominee beneficial "
    "owner subsidiary holding audit ledger wire escrow deposit loan guarantee tender"
)
WORDS = _VOCABULARY.split()
PHRASES = [
    "wire transfer agreement",
    "beneficial owner declaration",
    "nominee director services",
    "offshore holding structure",
    "consulting fee invoice",
    "escrow account release",
]
LINES_PER_PAGE = 40
WORDS_PER_LINE = 12
SCAN_LINES = 24  # a scan holds fewer, larger lines: OCR reads them at about 300 dpi
SCAN_SIZE = (1240, 1754)  # A4 at 150 dpi
# An image PDF's page is its image at this resolution: threadline renders scanned
# pages at 300 dpi, so it reads the same pixels as the anchor reads from the PNG.
SCAN_DPI = 300


@dataclass
class Corpus:
    """What was generated: files and pages by kind, and the names sprinkled in."""

    root: Path
    names: list[str]
    pdf_files: list[Path] = field(default_factory=list)
    pdf_pages: int = 0
    scan_files: list[Path] = field(default_factory=list)
    scan_pages: list[Path] = field(default_factory=list)  # anchor PNGs, one per page
    mixed_files: list[Path] = field(default_factory=list)
    mixed_pages: int = 0  # DOCX and e-mail bodies count one page, attached PDFs their pages
    documents: int = 0  # files and the documents inside them (attachments, members)

    @property
    def pages(self) -> int:
        return self.pdf_pages + len(self.scan_pages) + self.mixed_pages

    @property
    def files(self) -> int:
        return len(self.pdf_files) + len(self.scan_files) + len(self.mixed_files)


class _Text:
    """Deterministic page text with names and phrases in it."""

    def __init__(self, rng: Random, names: list[str]) -> None:
        self.rng = rng
        self.names = names

    def line(self) -> str:
        words = [self.rng.choice(WORDS) for _ in range(WORDS_PER_LINE)]
        roll = self.rng.random()
        if roll < 0.08:
            words[3:6] = [self.rng.choice(self.names)]
        elif roll < 0.12:
            words[3:6] = [self.rng.choice(PHRASES)]
        words.append(f"{self.rng.randint(1, 99_999):,}")
        return " ".join(words)

    def page(self, lines: int = LINES_PER_PAGE) -> list[str]:
        return [self.line() for _ in range(lines)]


def _pdf(text: _Text, pages: int, title: str) -> bytes:
    from threadline.demo.pdf import pdf_document

    return pdf_document([text.page() for _ in range(pages)], title=title)


def _docx(text: _Text, title: str) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for line in text.page(LINES_PER_PAGE // 2):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _email(text: _Text, number: int, attachment: tuple[str, bytes]) -> bytes:
    message = EmailMessage()
    message["From"] = f"{text.rng.choice(text.names)} <sender{number}@example.org>"
    message["To"] = f"recipient{number % 97}@example.com"
    message["Subject"] = " ".join(text.rng.choice(WORDS) for _ in range(5))
    message["Date"] = f"Tue, {1 + number % 28:02d} Mar 2019 10:11:12 +0000"
    message["Message-ID"] = f"<bench{number}@example.org>"
    message.set_content("\n".join(text.page(LINES_PER_PAGE // 2)))
    name, data = attachment
    message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


def _scan(text: _Text, font_size: int = 30) -> bytes:
    """A PNG of a page of text, as a scanner at 150 dpi would make it (grey, no noise)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", SCAN_SIZE, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=font_size)
    for i in range(SCAN_LINES):
        words = [text.rng.choice(WORDS) for _ in range(7)]
        if i % 6 == 2:
            words[2:4] = [text.rng.choice(text.names)]
        draw.text((80, 90 + i * 66), " ".join(words), fill=0, font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _image_pdf(pngs: list[bytes]) -> bytes:
    from PIL import Image

    images = [Image.open(io.BytesIO(p)) for p in pngs]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=SCAN_DPI, save_all=True, append_images=images[1:])
    return out.getvalue()


def known_names(seed: int) -> list[str]:
    """The 300 names sprinkled into the pages (people and companies), from the seed."""
    factory = NameFactory(Random(seed + 1))
    names: list[str] = []
    while len(names) < 300:  # the base-14 PDF font shows cp1252 only
        name = factory.person()[0] if len(names) % 3 else factory.company()[0]
        if name.encode("cp1252", "replace").decode("cp1252") == name:
            names.append(name)
    return names


def build(root: Path, pages: int, scan_pages: int, seed: int = 14) -> Corpus:
    """Generate at least `pages` pages under `root` (which should be empty): of every
    20 files, 15 are text PDFs, 4 are DOCX, e-mails or zips, and one is a scan (a PNG,
    or every other time a 2-page image PDF) until there are `scan_pages` scanned pages,
    a text PDF after that (OCR costs about a CPU second a page)."""
    rng = Random(seed)
    names = known_names(seed)
    text = _Text(rng, names)
    corpus = Corpus(root, names)
    for sub in ("pdf", "scans", "mixed", "anchor"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    unit = 0
    while corpus.pages < pages:
        slot, name = unit % 20, f"{unit:05d}"
        if slot == 19 and len(corpus.scan_pages) < scan_pages:
            _scans(corpus, text, name, 1 if (unit // 20) % 2 == 0 else 2)
        elif slot < 15 or slot == 19:
            count = rng.randint(4, 20)
            path = root / "pdf" / f"{name}.pdf"
            path.write_bytes(_pdf(text, count, f"Report {name}"))
            corpus.pdf_files.append(path)
            corpus.pdf_pages += count
            corpus.documents += 1
        elif slot == 15:
            path = root / "mixed" / f"{name}.docx"
            path.write_bytes(_docx(text, f"Memo {name}"))
            corpus.mixed_files.append(path)
            corpus.mixed_pages += 1
            corpus.documents += 1
        elif slot in (16, 17):
            attached = ("memo.docx", _docx(text, f"Attachment {name}"))
            extra = 1
            if slot == 16:
                attached, extra = ("statement.pdf", _pdf(text, 2, f"Statement {name}")), 2
            path = root / "mixed" / f"{name}.eml"
            path.write_bytes(_email(text, unit, attached))
            corpus.mixed_files.append(path)
            corpus.mixed_pages += 1 + extra
            corpus.documents += 2
        else:
            members = {
                "a/ledger.pdf": _pdf(text, 3, f"Ledger {name}"),
                "a/minutes.pdf": _pdf(text, 3, f"Minutes {name}"),
                "mail/note.eml": _email(text, unit, ("note.docx", _docx(text, "Note"))),
            }
            path = root / "mixed" / f"{name}.zip"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                for member, data in members.items():
                    archive.writestr(member, data)
            corpus.mixed_files.append(path)
            corpus.mixed_pages += 3 + 3 + 1 + 1
            corpus.documents += 5
        unit += 1
    return corpus


def _scans(corpus: Corpus, text: _Text, name: str, count: int) -> None:
    """A PNG scan (count 1) or an image-only PDF of `count` pages, with anchor PNGs."""
    pngs = [_scan(text) for _ in range(count)]
    for i, png in enumerate(pngs):
        anchor = corpus.root / "anchor" / f"{name}-{i + 1}.png"
        anchor.write_bytes(png)
        corpus.scan_pages.append(anchor)
    if count == 1:
        path = corpus.root / "scans" / f"{name}.png"
        path.write_bytes(pngs[0])
    else:
        path = corpus.root / "scans" / f"{name}.pdf"
        path.write_bytes(_image_pdf(pngs))
    corpus.scan_files.append(path)
    corpus.documents += 1
