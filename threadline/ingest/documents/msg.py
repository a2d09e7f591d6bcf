"""Outlook `.msg` files (OLE compound files, read with olefile): an `Email` like a `.eml`.

A message's MAPI properties are streams named `__substg1.0_TTTTYYYY` (tag, type);
recipients and attachments are sub-storages. When the message kept its internet
headers (`PR_TRANSPORT_MESSAGE_HEADERS`, as received mail does), those give sender,
recipients, date and ids, read exactly as a `.eml`'s are; a draft or sent item without
them gets equivalent headers made from its MAPI properties. Attachments become child
documents; an attached Outlook item (an embedded message) is kept as a notice, not
read. (extract-msg, the usual reader, is GPL: this one is written here, on olefile,
which is BSD.)
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import format_datetime, formataddr
from typing import TYPE_CHECKING

import olefile
from followthemoney.proxy import EntityProxy

from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.email import HEADER_POLICY, headers_of
from threadline.ingest.documents.entities import add_text
from threadline.ingest.documents.html import html_text
from threadline.ingest.documents.limits import ExtractionFailed

if TYPE_CHECKING:
    from threadline.ingest.documents.extract import Extraction

_SUBJECT, _BODY, _HTML, _HEADERS = "0037", "1000", "1013", "007D"
_SENDER_NAME, _SENDER_SMTP, _SENDER_EMAIL = "0C1A", "5D01", "0C1F"
_MESSAGE_ID, _IN_REPLY_TO = "1035", "1042"
_RECIPIENT_NAME, _RECIPIENT_SMTP, _RECIPIENT_EMAIL = "3001", "39FE", "3003"
_ATTACH_DATA, _ATTACH_LONG_NAME, _ATTACH_NAME = "3701", "3707", "3704"
_SUBMIT_TIME, _DELIVERY_TIME, _RECIPIENT_TYPE = 0x0039, 0x0E06, 0x0C15
_RECIPIENT_HEADERS = {1: "To", 2: "Cc", 3: "Bcc"}
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


class _Storage:
    """One storage of the file (the message, a recipient, an attachment) and its properties."""

    def __init__(self, ole: olefile.OleFileIO, path: list[str], header: int) -> None:
        self.ole, self.path, self.header = ole, path, header

    def _stream(self, name: str) -> bytes | None:
        path = [*self.path, name]
        return bytes(self.ole.openstream(path).read()) if self.ole.exists(path) else None

    def text(self, tag: str) -> str | None:
        """A string property, Unicode (001F) or 8-bit (001E)."""
        raw = self._stream(f"__substg1.0_{tag}001F")
        if raw is not None:
            text = raw.decode("utf-16-le", "replace")
        else:
            raw = self._stream(f"__substg1.0_{tag}001E")
            text = raw.decode("cp1252", "replace") if raw is not None else ""
        text = text.rstrip("\0").strip()
        return text or None

    def binary(self, tag: str) -> bytes | None:
        return self._stream(f"__substg1.0_{tag}0102")

    def fixed(self, tag: int) -> bytes | None:
        """The 8-byte value of a fixed-size property, from the properties stream."""
        raw = self._stream("__properties_version1.0") or b""
        for offset in range(self.header, len(raw) - 15, 16):
            prop, _flags, value = struct.unpack_from("<II8s", raw, offset)
            if prop >> 16 == tag:
                return bytes(value)
        return None

    def children(self, prefix: str) -> list[_Storage]:
        depth = len(self.path)
        names = {
            path[depth]
            for path in self.ole.listdir(streams=True, storages=True)
            if len(path) > depth + 1
            and path[:depth] == self.path
            and path[depth].startswith(prefix)
        }
        return [_Storage(self.ole, [*self.path, name], 8) for name in sorted(names)]


def extract(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """One Outlook message: headers, body text, parties and attachments."""
    data = blob.read(ctx.limits)
    try:
        ole = olefile.OleFileIO(data)
    except (OSError, ValueError) as exc:
        raise ExtractionFailed(f"is not an OLE compound file ({exc})") from None
    with ole:
        message = _Storage(ole, [], 32)
        if all(message.text(tag) is None for tag in (_SUBJECT, _BODY, _HEADERS)):
            raise ExtractionFailed("is not an Outlook message (no subject, body or headers)")
        yield from headers_of(doc, _headers(message))
        text = message.text(_BODY)
        if text is None:
            html = message.binary(_HTML)
            text = html_text(html.decode("utf-8", "replace"))[1] if html else ""
        add_text(doc, "bodyText", text, ctx.limits.max_text_chars)
        for number, attachment in enumerate(message.children("__attach_version1.0_"), 1):
            ctx.check_time()
            payload = attachment.binary(_ATTACH_DATA)
            name = attachment.text(_ATTACH_LONG_NAME) or attachment.text(_ATTACH_NAME)
            name = (name or f"attachment-{number}").replace("/", "_")
            if payload is None:
                ctx.notice(blob, doc, f"attachment {name!r} is an Outlook item; it was not read")
                continue
            yield from ctx.child(doc, blob, name, payload)


def _headers(message: _Storage) -> EmailMessage:
    """The message's internet headers, as received, or made from its MAPI properties."""
    kept = message.text(_HEADERS)
    if kept:
        parser = BytesHeaderParser(policy=HEADER_POLICY)
        parsed = parser.parsebytes(kept.encode("utf-8", "replace"))
        if isinstance(parsed, EmailMessage) and parsed.keys():
            return parsed
    made = EmailMessage(policy=HEADER_POLICY)
    values: dict[str, str | None] = {
        "Subject": message.text(_SUBJECT),
        "From": _address(
            message.text(_SENDER_NAME),
            message.text(_SENDER_SMTP) or message.text(_SENDER_EMAIL),
        ),
        "Date": _date(message.fixed(_SUBMIT_TIME) or message.fixed(_DELIVERY_TIME)),
        "Message-ID": message.text(_MESSAGE_ID),
        "In-Reply-To": message.text(_IN_REPLY_TO),
    }
    for recipient in message.children("__recip_version1.0_"):
        kind = recipient.fixed(_RECIPIENT_TYPE)
        header = _RECIPIENT_HEADERS.get(struct.unpack_from("<I", kind)[0] if kind else 1, "To")
        address = _address(
            recipient.text(_RECIPIENT_NAME),
            recipient.text(_RECIPIENT_SMTP) or recipient.text(_RECIPIENT_EMAIL),
        )
        if address:
            values[header] = ", ".join(v for v in (values.get(header), address) if v)
    for name, value in values.items():
        if value:
            try:
                made[name] = value
            except (ValueError, TypeError):  # a value the header policy refuses
                continue
    return made


def _address(name: str | None, address: str | None) -> str | None:
    if address and "@" in address:
        try:
            return str(Address(display_name=name or "", addr_spec=address))
        except (ValueError, IndexError):
            return formataddr((name or "", address))
    return None


def _date(value: bytes | None) -> str | None:
    if not value:
        return None
    (ticks,) = struct.unpack("<Q", value)
    if not ticks:
        return None
    try:
        return format_datetime(_FILETIME_EPOCH + timedelta(microseconds=ticks // 10))
    except OverflowError:
        return None
