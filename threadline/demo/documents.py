"""Writes the seized correspondence: the story as documents, not records.

A folder with an e-mail thread between the builder's managing director and Dmitry
Sokolov of Halcyon Crest (the second message carries the invoice as an attachment), the
invoice itself as a PDF, and a scanned certificate of incumbency: a PNG rendered from
text, which only OCR can read. Ingest turns them into `Email`, `Pages` and `Image`
documents, and mention finding links the names in them to the records of the other
sources. Every byte is fixed by the world: no clock, no randomness beyond the seed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from random import Random
from typing import Final

from threadline.demo.pdf import pdf_document
from threadline.demo.people import Person
from threadline.demo.story import STORY
from threadline.demo.world import World

FOLDER: Final = "correspondence"
INVOICE: Final = "HC-2019-031"
BUILDER_DOMAIN: Final = "brueckenbau-hansa.de"
OFFSHORE_MAIL: Final = "d.sokolov@halcyon-crest.vg"


def _director(world: World) -> Person:
    """The builder's managing director, drawn with the rest of the world."""
    for office in world.directorships:
        if office.company.key == "story-contractor":
            return office.person
    raise ValueError("the demo world has no director for the story's contractor")


def _invoice() -> bytes:
    lines = [
        STORY.offshore,
        "Palm Grove House, Road Town, Tortola, British Virgin Islands",
        "Company no. VG1894417",
        "",
        f"INVOICE {INVOICE}                                  25 November 2019",
        "",
        f"To: {STORY.contractor}",
        "Große Elbstraße 212, 22767 Hamburg, Germany",
        "",
        "For consulting services rendered in connection with the award",
        "Ersatzneubau Brücke über den Nordmarkkanal (Landesamt für Straßenbau Nordmark)",
        "",
        "Amount due: EUR 245,000.00",
        "Payable within 7 days to the account on file.",
    ]
    return pdf_document(
        [lines],
        title=f"Invoice {INVOICE}",
        author=STORY.offshore,
        created=datetime(2019, 11, 25, 9, 41, 0),
    )


def _message(
    sender: str, to: str, subject: str, sent: datetime, body: str, number: int
) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = f"<demo-{number}@{BUILDER_DOMAIN}>"
    message.set_content(body)
    return message


def _thread(director: Person, invoice: bytes) -> list[EmailMessage]:
    builder = f"{director.first} {director.last} <{director.last.lower()}@{BUILDER_DOMAIN}>"
    offshore = f"{STORY.relative} <{OFFSHORE_MAIL}>"
    subject = "Beratungsleistungen Nordmarkkanal"
    first = _message(
        builder,
        offshore,
        subject,
        datetime(2019, 11, 20, 16, 5, tzinfo=UTC),
        f"Dear Mr Sokolov,\n\nnow that the Nordmarkkanal contract has been awarded to "
        f"{STORY.contractor}, please send the invoice of {STORY.offshore} for the "
        f"consulting services, as agreed.\n\nBest regards\n{director.first} {director.last}\n"
        "Geschäftsführer",
        1,
    )
    second = _message(
        offshore,
        builder,
        f"Re: {subject}",
        datetime(2019, 11, 25, 9, 52, tzinfo=UTC),
        f"Dear {director.first},\n\nplease find attached our invoice {INVOICE}. Payment to "
        f"the usual account, as with Nordwall.\n\nMy regards to {STORY.official.split()[0]}."
        f"\n\n{STORY.relative}\nDirector, {STORY.offshore}",
        2,
    )
    second["In-Reply-To"] = first["Message-ID"]
    second.add_attachment(invoice, maintype="application", subtype="pdf", filename=f"{INVOICE}.pdf")
    second.set_boundary("=_demo-thread-2")  # not a random one: the same bytes every run
    third = _message(
        builder,
        offshore,
        f"Re: Re: {subject}",
        datetime(2019, 11, 29, 11, 20, tzinfo=UTC),
        f"Dmitry,\n\npaid today, EUR 245,000.00 for {INVOICE}.\n\n{director.first}",
        3,
    )
    third["In-Reply-To"] = second["Message-ID"]
    return [first, second, third]


def _scan() -> bytes:
    """A certificate of incumbency, as a grey page a scanner would give (PNG)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    lines = [
        "CERTIFICATE OF INCUMBENCY",
        "",
        f"We, the registered agent of {STORY.offshore},",
        "a BVI business company, company number VG1894417,",
        "certify that as at 2 November 2016:",
        "",
        f"Sole director:      {STORY.relative}",
        f"Sole shareholder:   {STORY.relative} (100 shares)",
        "",
        "Palm Grove Corporate Services Ltd, Road Town, Tortola",
    ]
    font = ImageFont.load_default(size=30)
    page = Image.new("L", (1700, 900), color=236)
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(lines):
        draw.text((90, 80 + number * 70), line, fill=24, font=font)
    out = io.BytesIO()
    page.save(out, format="PNG", optimize=False)
    return out.getvalue()


def write_documents(world: World, out_dir: Path, rng: Random) -> tuple[Path, ...]:
    """Write the correspondence folder; its path is the one thing to ingest."""
    del rng  # the documents carry no noise: they are the story's own words
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    invoice = _invoice()
    (folder / f"{INVOICE}.pdf").write_bytes(invoice)
    for number, message in enumerate(_thread(_director(world), invoice), start=1):
        (folder / f"{number:02d}-nordmarkkanal.eml").write_bytes(message.as_bytes())
    (folder / "incumbency-certificate.png").write_bytes(_scan())
    return (folder,)
