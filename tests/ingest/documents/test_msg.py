"""Outlook .msg files: an `Email` with the same headers, parties and attachments a .eml
gives, whether the message kept its internet headers (received mail) or not (a draft,
a sent item), and a clear failure for an OLE file that is not a message."""

from __future__ import annotations

import struct
from datetime import UTC, datetime
from pathlib import Path

from followthemoney.proxy import EntityProxy

from threadline.app.workbench import Workbench
from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.extract import Extraction

from .compound import compound_file
from .makers import pdf_bytes, write

HEADERS = (
    "From: Alice Example <alice@example.org>\r\n"
    "To: Bob <bob@example.com>\r\n"
    "Cc: carol@example.net\r\n"
    "Subject: Re: ledger\r\n"
    "Date: Tue, 05 Mar 2019 10:11:12 +0000\r\n"
    "Message-ID: <m1@example.org>\r\n"
    "In-Reply-To: <m0@example.org>\r\n"
)


def _unicode(text: str) -> bytes:
    return text.encode("utf-16-le")


def _properties(header: int, fixed: dict[int, tuple[int, bytes]]) -> bytes:
    """A `__properties_version1.0` stream: a header, then 16 bytes per property."""
    rows = b"".join(
        struct.pack("<II8s", tag << 16 | kind, 0, value) for tag, (kind, value) in fixed.items()
    )
    return b"\0" * header + rows


def _filetime(moment: datetime) -> bytes:
    ticks = int((moment - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)
    return struct.pack("<Q", ticks)


def msg_bytes(with_headers: bool) -> bytes:
    attach = "__attach_version1.0_#00000000/"
    streams = {
        "__substg1.0_0037001F": _unicode("Re: ledger"),
        "__substg1.0_1000001F": _unicode("See attached.\r\n"),
        f"{attach}__substg1.0_37010102": b"ledger line Harvey Dent",
        f"{attach}__substg1.0_3707001F": _unicode("ledger.txt"),
        f"{attach}__properties_version1.0": _properties(8, {}),
        "__attach_version1.0_#00000001/__substg1.0_37010102": pdf_bytes(["Attached page"]),
        "__attach_version1.0_#00000001/__substg1.0_3704001F": _unicode("scan.pdf"),
        # An attached Outlook item is a storage, not bytes: kept as a notice.
        "__attach_version1.0_#00000002/__substg1.0_3701000D/__substg1.0_0037001F": _unicode("x"),
        "__attach_version1.0_#00000002/__substg1.0_3707001F": _unicode("forwarded.msg"),
    }
    if with_headers:
        streams["__substg1.0_007D001F"] = _unicode(HEADERS)
    else:
        sent = datetime(2019, 3, 5, 10, 11, 12, tzinfo=UTC)
        streams |= {
            "__substg1.0_0C1A001F": _unicode("Alice Example"),
            "__substg1.0_5D01001F": _unicode("alice@example.org"),
            "__substg1.0_1035001F": _unicode("<m1@example.org>"),
            "__substg1.0_1042001F": _unicode("<m0@example.org>"),
            "__properties_version1.0": _properties(32, {0x0039: (0x0040, _filetime(sent))}),
        }
        for number, (name, address, kind) in enumerate(
            [("Bob", "bob@example.com", 1), ("", "carol@example.net", 2)]
        ):
            recipient = f"__recip_version1.0_#{number:08X}/"
            streams |= {
                f"{recipient}__substg1.0_3001001F": _unicode(name or address),
                f"{recipient}__substg1.0_39FE001F": _unicode(address),
                f"{recipient}__properties_version1.0": _properties(
                    8, {0x0C15: (0x0003, struct.pack("<Q", kind))}
                ),
            }
    return compound_file(streams)


def _extract(tmp_path: Path, data: bytes) -> tuple[list[EntityProxy], Extraction]:
    path = write(tmp_path, "mail.msg", data)
    ctx = Extraction(str(path))
    return list(ctx.document(Blob(path.name, path.name, path))), ctx


def _check_message(entities: list[EntityProxy], ctx: Extraction) -> None:
    (mail,) = [e for e in entities if e.schema.name == "Email"]
    assert mail.first("processingStatus") == "success"
    assert mail.first("mimeType") == "application/vnd.ms-outlook"
    assert mail.first("subject") == "Re: ledger"
    assert mail.first("bodyText") == "See attached."
    assert mail.first("messageId") == "m1@example.org"
    assert mail.first("inReplyTo") == "m0@example.org"
    assert mail.first("date") == "2019-03-05T10:11:12"
    assert mail.first("from") == "Alice Example <alice@example.org>"
    parties = {p.first("email"): p for p in entities if p.schema.name == "LegalEntity"}
    assert set(parties) == {"alice@example.org", "bob@example.com", "carol@example.net"}
    assert mail.get("emitters") == [parties["alice@example.org"].id]
    assert set(mail.get("recipients")) == {
        parties["bob@example.com"].id,
        parties["carol@example.net"].id,
    }
    (attachment,) = [e for e in entities if e.schema.name == "PlainText"]
    assert (attachment.first("parent"), attachment.first("fileName")) == (mail.id, "ledger.txt")
    assert attachment.first("bodyText") == "ledger line Harvey Dent"
    (page,) = [e for e in entities if e.schema.name == "Page"]
    assert page.first("bodyText") == "Attached page"
    assert ctx.failures == []
    (notice,) = ctx.notices
    assert notice.message == "attachment 'forwarded.msg' is an Outlook item; it was not read"


def test_received_mail_is_read_from_its_internet_headers(tmp_path: Path) -> None:
    _check_message(*_extract(tmp_path, msg_bytes(with_headers=True)))


def test_a_draft_without_headers_is_read_from_its_mapi_properties(tmp_path: Path) -> None:
    _check_message(*_extract(tmp_path, msg_bytes(with_headers=False)))


def test_an_ole_file_that_is_no_message_fails_clearly(tmp_path: Path) -> None:
    data = compound_file({"WordDocument": b"\0" * 100})
    (doc,), ctx = _extract(tmp_path, data)
    assert doc.first("processingStatus") == "failure"
    assert ctx.failures[0].message == "is not an Outlook message (no subject, body or headers)"
    (doc,), ctx = _extract(tmp_path, b"\xd0\xcf\x11\xe0 not really")
    assert "is not an OLE compound file" in (doc.first("processingError") or "")


def test_a_msg_in_a_folder_is_searchable(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    write(folder, "inbox/ledger.msg", msg_bytes(with_headers=True))
    with Workbench(data_dir=tmp_path / "data") as bench:
        [report] = bench.ingest([folder], "leak")
        assert report.failed == []
        hits = bench.search("Harvey Dent").hits
        assert [hit.schema for hit in hits] == ["PlainText"]
        assert {hit.schema for hit in bench.search("ledger").hits} >= {"Email", "PlainText"}
