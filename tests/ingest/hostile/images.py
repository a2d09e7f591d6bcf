"""Images: pixel floods (headers that claim billions of pixels), a huge but allowed
scan, decompression bombs in PNG text chunks, and broken images."""

from __future__ import annotations

import io
import struct
import zlib

from tests.ingest.hostile.entry import ANY, REFUSED, Entry
from tests.ingest.hostile.target import Target

FLOODS = "pixel floods"


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_header(width: int, height: int, extra: bytes = b"") -> bytes:
    """A PNG that declares `width` x `height` grey pixels and holds one row of them."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = zlib.compress(b"\0" + b"\xff" * min(width, 4096))
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + extra + _chunk(b"IDAT", row)
        + _chunk(b"IEND", b"")
    )  # fmt: skip


def _ztxt_bomb(_: Target) -> bytes:
    text = b"Comment\0\0" + zlib.compress(b"A" * (64 << 20), 9)
    return png_header(16, 16, _chunk(b"zTXt", text))


def _gif(_: Target) -> bytes:
    return b"GIF89a" + struct.pack("<HH", 65535, 65535) + b"\x00\x00\x00" + b",\0\0\0\0" + b";"


def _bmp(_: Target) -> bytes:
    header = struct.pack("<IiiHHIIiiII", 40, 60000, 60000, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 54 + 16, 0, 0, 54) + header + b"\0" * 16


def _tiff(_: Target) -> bytes:
    entries = [(256, 4, 1, 200_000), (257, 4, 1, 200_000), (258, 3, 1, 8), (259, 3, 1, 1),
               (262, 3, 1, 1), (273, 4, 1, 8), (277, 3, 1, 1), (279, 4, 1, 16)]  # fmt: skip
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHII", tag, kind, count, value)
    body = b"\0" * 16
    return b"II*\0" + struct.pack("<I", 8 + len(body)) + body + ifd + b"\0\0\0\0"


def _jpeg(_: Target) -> bytes:
    sof = struct.pack(">BHHB", 8, 65500, 65500, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + b"\xff\xc0" + struct.pack(">H", len(sof) + 2) + sof + b"\xff\xd9"


def _huge_allowed(_: Target) -> bytes:
    from PIL import Image

    image = Image.new("L", (6500, 6500), 255)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


MAKERS = [
    Entry("flood-10g.png", FLOODS, lambda t: png_header(100_000, 100_000), REFUSED),
    Entry("flood-100m.png", FLOODS, lambda t: png_header(10_000, 10_000), REFUSED),
    Entry("flood-wide.png", FLOODS, lambda t: png_header(2_000_000_000, 1), REFUSED),
    Entry("flood.gif", FLOODS, _gif, REFUSED),
    Entry("flood.bmp", FLOODS, _bmp, REFUSED),
    Entry("flood.tiff", FLOODS, _tiff, REFUSED),
    Entry("flood.jpg", FLOODS, _jpeg, REFUSED),
    Entry("ztxt-bomb.png", FLOODS, _ztxt_bomb),
    Entry("huge-allowed.png", FLOODS, _huge_allowed, ANY),
    Entry("truncated.png", FLOODS, lambda t: png_header(64, 64)[:40], REFUSED),
    Entry("zero-size.png", FLOODS, lambda t: png_header(0, 0), REFUSED),
    Entry("not-an-image.png", FLOODS, lambda t: b"this is not a PNG at all\n" * 10),
]
