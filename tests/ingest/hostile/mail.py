"""E-mails with hostile headers and structure: injection, floods of headers, parts and
addresses, encoded-word bombs, traversal attachment names, nesting, broken MIME, and
Outlook files that are not what they claim."""

from __future__ import annotations

import base64

from tests.ingest.documents.compound import compound_file
from tests.ingest.hostile.entry import ANY, REFUSED, Entry
from tests.ingest.hostile.packing import MIB, zip_of
from tests.ingest.hostile.target import Target

MAIL = "hostile e-mail"
INJECTED = base64.b64encode(b"hi\r\nBcc: victim@example.org").decode()
HEAD = "From: a@example.org\r\nTo: b@example.org\r\nDate: Tue, 05 Mar 2019 10:11:12 +0000\r\n"


def _message(headers: str, body: str = "body text\r\n") -> bytes:
    return f"{headers}\r\n{body}".encode("utf-8", "surrogateescape")


def _attachment(name_header: str, data: bytes) -> str:
    return (
        f"--B\r\nContent-Type: application/octet-stream\r\n{name_header}\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{base64.encodebytes(data).decode()}\r\n"
    )


def _multipart(parts: list[str], extra: str = "") -> bytes:
    head = f"{HEAD}Subject: parts\r\nMIME-Version: 1.0\r\n{extra}"
    head += 'Content-Type: multipart/mixed; boundary="B"\r\n'
    text = "--B\r\nContent-Type: text/plain\r\n\r\nthe body\r\n"
    return _message(head, text + "".join(parts) + "--B--\r\n")


def _traversal(target: Target) -> bytes:
    names = [f'attachment; filename="{target.relative}"',
             'attachment; filename="/etc/cron.d/evil"',
             'attachment; filename="C:\\\\Windows\\\\evil.exe"',
             "attachment; filename*=utf-8''..%2F..%2F..%2Fevil.sh",
             'attachment; filename="nul\x00byte.txt"',
             'attachment; filename="' + "x" * 5000 + '.txt"']  # fmt: skip
    parts = [_attachment(f"Content-Disposition: {n}", b"attached") for n in names]
    return _multipart(parts)


def _nested(depth: int) -> bytes:
    data = _message(f"{HEAD}Subject: innermost\r\n")
    for level in range(depth):
        head = f"{HEAD}Subject: level {level}\r\nMIME-Version: 1.0\r\n"
        head += f'Content-Type: multipart/mixed; boundary="B{level}"\r\n'
        part = (
            f"--B{level}\r\nContent-Type: message/rfc822\r\n\r\n{data.decode()}\r\n--B{level}--\r\n"
        )
        data = _message(head, part)
    return data


def _bomb_attached(_: Target) -> bytes:
    bomb = zip_of([("zeros.txt", b"\0" * (24 * MIB))])
    return _multipart([_attachment('Content-Disposition: attachment; filename="b.zip"', bomb)])


def _mbox(count: int) -> bytes:
    one = "From a@example.org Tue Mar  5 10:11:12 2019\n" + HEAD.replace("\r", "")
    return "".join(f"{one}Subject: m{i}\n\nbody {i}\n\n" for i in range(count)).encode()


def _msg_huge_subject(_: Target) -> bytes:
    return compound_file({"__substg1.0_0037001F": ("S" * (4 * MIB)).encode("utf-16-le")})


MAKERS = [
    Entry(
        "header-injection.eml",
        MAIL,
        lambda t: _message(
            f"{HEAD}Subject: =?utf-8?b?{INJECTED}?=\r\nX-Injected: a\r\n b\r\n\tc\r\n"
        ),
    ),
    Entry("many-headers.eml", MAIL, lambda t: _message(HEAD + "X-Flood: v\r\n" * 50_000)),
    Entry("long-header.eml", MAIL, lambda t: _message(f"{HEAD}Subject: {'A' * (4 * MIB)}\r\n")),
    Entry(
        "encoded-word-bomb.eml",
        MAIL,
        lambda t: _message(HEAD + "Subject: " + "=?utf-8?b?QUFB?= " * 100_000 + "\r\n"),
    ),
    Entry(
        "bad-date.eml",
        MAIL,
        lambda t: _message(
            "From: a@example.org\r\nDate: Tue, 99 Foo 99999 99:99:99 +9999\r\nSubject: d\r\n"
        ),
    ),
    Entry(
        "many-addresses.eml",
        MAIL,
        lambda t: _message(
            "From: a@example.org\r\nTo: "
            + ", ".join(f"u{i}@example.org" for i in range(30_000))
            + "\r\nSubject: many\r\n"
        ),
    ),
    Entry(
        "hostile-from.eml",
        MAIL,
        lambda t: _message(
            'From: "<script>x</script>\u202e" <a@example.org>\r\nTo: =?utf-8?q?=00=1b[31m?= '
            f"<b@example.org>\r\nSubject: from\r\nReply-To: {t.url}\r\n"
        ),
    ),
    Entry("traversal-attachments.eml", MAIL, _traversal),
    Entry("nested-rfc822-12.eml", MAIL, lambda t: _nested(12), REFUSED),
    Entry("nested-rfc822-2.eml", MAIL, lambda t: _nested(2), ANY),
    Entry(
        "many-parts.eml",
        MAIL,
        lambda t: _multipart(
            [
                _attachment(f'Content-Disposition: attachment; filename="p{i}.txt"', b"p")
                for i in range(2_000)
            ]
        ),
    ),
    Entry(
        "encoded-filename-bomb.eml",
        MAIL,
        lambda t: _multipart(
            [
                _attachment(
                    "Content-Disposition: attachment; filename=" + "=?utf-8?b?QUFB?=" * 100_000,
                    b"a",
                )
            ]
        ),
    ),
    Entry("bomb-attached.eml", MAIL, _bomb_attached, REFUSED),
    Entry(
        "no-boundary.eml",
        MAIL,
        lambda t: _message(
            f"{HEAD}Subject: nb\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n",
            "--X\r\n\r\npart\r\n",
        ),
    ),
    Entry("unclosed-boundary.eml", MAIL, lambda t: _multipart([])[:-8]),
    Entry(
        "bogus-charset.eml",
        MAIL,
        lambda t: _message(
            f'{HEAD}Subject: cs\r\nContent-Type: text/plain; charset="x-evil"\r\n', "\udcff\udcfe"
        ),
    ),
    Entry(
        "bad-base64.eml",
        MAIL,
        lambda t: _multipart(
            [
                "--B\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                'Content-Disposition: attachment; filename="b.pdf"\r\n\r\n!!!not*base64***\r\n'
            ]
        ),
    ),
    Entry("many-messages.mbox", MAIL, lambda t: _mbox(1_000)),
    Entry(
        "garbage.msg", MAIL, lambda t: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 4000, REFUSED
    ),
    Entry("huge-subject.msg", MAIL, _msg_huge_subject),
    Entry("zip-named.msg", MAIL, lambda t: zip_of([("a.txt", b"zip")]), REFUSED),
]
