"""E-mail (stdlib `email`): a message as an `Email`, its attachments as child documents,
its sender and recipients as `LegalEntity` records with their addresses; an mbox as a
`Package` of its messages.

A sender is a LegalEntity, not a Person: an address alone does not say whether a
person or an organisation writes from it. The same address makes the same entity in
every message, so a correspondent's mail gathers in one place.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import TYPE_CHECKING

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.util import make_entity_id

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import add_date, add_text
from threadline.ingest.documents.html import html_text
from threadline.ingest.documents.limits import ExtractionFailed

if TYPE_CHECKING:
    from threadline.ingest.documents.extract import Extraction

_FROM_LINE = re.compile(rb"^From .*$", re.MULTILINE)
# Header values longer than this are cut before they are parsed: the default policy's
# parser needs memory quadratic in a header's encoded words (a 1.7 MB Subject of
# 100,000 "=?utf-8?b?...?=" took over 20 GB), and real headers are far shorter.
MAX_HEADER_CHARS = 32 * 1024


class _BoundedPolicy(policy.EmailPolicy):
    """`policy.default`, parsing at most MAX_HEADER_CHARS of any header, whether read
    from a message (Subject, To, an attachment's Content-Disposition...) or set on one
    (the headers an Outlook file's properties make)."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        if not hasattr(value, "name") and len(value) > MAX_HEADER_CHARS:
            value = value[:MAX_HEADER_CHARS]
        return super().header_fetch_parse(name, value)  # type: ignore[no-any-return]  # typeshed: Any

    def header_store_parse(self, name: str, value: str) -> tuple[str, str]:
        if not hasattr(value, "name") and len(value) > MAX_HEADER_CHARS:
            value = value[:MAX_HEADER_CHARS]
        return super().header_store_parse(name, value)


HEADER_POLICY = _BoundedPolicy()


def extract(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """One RFC 822 message: headers, body text, parties and attachments."""
    data = blob.read(ctx.limits)
    message = BytesParser(policy=HEADER_POLICY).parsebytes(data)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise ExtractionFailed("is not an e-mail message (no headers)")
    yield from headers_of(doc, message)
    yield from _body(ctx, doc, blob, message)


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a malformed header the policy rejects
        return None
    return str(value).strip() if value is not None and str(value).strip() else None


def headers_of(doc: EntityProxy, message: EmailMessage) -> Iterator[EntityProxy]:
    """Subject, ids, date and parties from a message's headers onto `doc`; the parties
    (`LegalEntity`, one per address) are yielded. Outlook files use it too."""
    subject = _header(message, "Subject")
    if subject:
        doc.add("subject", subject)
        doc.add("title", subject)
    for prop, name in (("messageId", "Message-ID"), ("inReplyTo", "In-Reply-To")):
        value = _header(message, name)
        if value:
            doc.add(prop, value.strip("<>"))
    date = _header(message, "Date")
    if date:
        with contextlib.suppress(TypeError, ValueError):  # a date no one can read
            add_date(doc, "date", parsedate_to_datetime(date))
    for prop, edge, name in (
        ("from", "emitters", "From"),
        ("sender", "emitters", "Sender"),
        ("to", "recipients", "To"),
        ("cc", "recipients", "Cc"),
        ("bcc", "recipients", "Bcc"),
    ):
        raw = _header(message, name)
        if not raw:
            continue
        doc.add(prop, raw)
        for display, address in getaddresses([raw]):
            party = _party(display, address)
            if party is not None:
                doc.add(edge, party.id)
                yield party


def _party(display: str, address: str) -> EntityProxy | None:
    address = address.strip().lower()
    if "@" not in address:
        return None
    party = model.make_entity("LegalEntity")
    party.id = make_entity_id("mailbox", address)
    party.add("email", address)
    party.add("name", display.strip() or address)
    return party if party.get("email") else None


def _body(
    ctx: Extraction, doc: EntityProxy, blob: Blob, message: EmailMessage
) -> Iterator[EntityProxy]:
    plain = message.get_body(preferencelist=("plain",))
    rich = message.get_body(preferencelist=("html",))
    text = ""
    if plain is not None:
        text = _content(plain)
    elif rich is not None:
        _, text = html_text(_content(rich))
    add_text(doc, "bodyText", text, ctx.limits.max_text_chars)
    for number, part in enumerate(message.iter_attachments(), start=1):
        ctx.check_time()
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            if part.get_content_type() != "message/rfc822":
                continue
            inner = part.get_content()  # a forwarded message, attached whole
            payload = inner.as_bytes() if isinstance(inner, MIMEPart) else b""
        name = part.get_filename() or f"attachment-{number}{_suffix(part)}"
        yield from ctx.child(doc, blob, name.replace("/", "_"), payload)


def _content(part: MIMEPart) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _suffix(part: MIMEPart) -> str:
    return ".eml" if part.get_content_type() == "message/rfc822" else ""


def extract_mbox(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """Every message of an mbox file, as child `Email` documents."""
    data = blob.read(ctx.limits)
    starts = [m.start() for m in _FROM_LINE.finditer(data)]
    if not starts or starts[0] != 0:
        raise ExtractionFailed("is not an mbox file (it does not start with a 'From ' line)")
    for number, (start, end) in enumerate(zip(starts, [*starts[1:], len(data)], strict=True), 1):
        ctx.check_time()
        chunk = data[start:end]
        body = chunk[chunk.find(b"\n") + 1 :]
        # mboxrd quoting: ">From " at the start of a line stood for "From ".
        body = re.sub(rb"(?m)^>(>*From )", rb"\1", body)
        yield from ctx.child(doc, blob, f"message-{number}.eml", body)
