"""Byte-level builders the hostile makers share: zips (with lying or forged parts) and tars."""

from __future__ import annotations

import io
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterable

MIB = 1 << 20


def zip_of(
    members: Iterable[tuple[str | zipfile.ZipInfo, bytes]],
    compression: int = zipfile.ZIP_DEFLATED,
    zip64: bool = False,
) -> bytes:
    """A zip of these members (a ZipInfo keeps its flags and attributes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name)
            info.compress_type = compression
            with archive.open(info, "w", force_zip64=zip64) as stream:
                for start in range(0, len(data), MIB):
                    stream.write(data[start : start + MIB])
    return out.getvalue()


def overlapping_zip(count: int, size: int) -> bytes:
    """A non-recursive zip bomb: `count` central-directory entries, all pointing at the
    one deflated kernel of `size` zero bytes (each entry declares the full size)."""
    kernel = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = kernel.compress(b"\0" * size) + kernel.flush()
    crc = zlib.crc32(b"\0" * size)
    name = b"kernel.txt"
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(packed), size, len(name), 0
    )
    body = local + name + packed
    central = io.BytesIO()
    for i in range(count):
        entry = f"file{i:05d}.txt".encode()
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(packed),
                size,
                len(entry),
                0,
                0,
                0,
                0,
                0,
                0,
            )
            + entry
        )
    directory = central.getvalue()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(body), 0)
    return body + directory + end


def tar_of(members: Iterable[tarfile.TarInfo | tuple[str, bytes]]) -> bytes:
    """An uncompressed tar of these members; a bare TarInfo is written as is."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                archive.addfile(member)
                continue
            name, data = member
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def link(name: str, target: str, kind: bytes) -> tarfile.TarInfo:
    """A tar member that is a link (SYMTYPE, LNKTYPE) or a device or fifo."""
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


def lying_tar(name: str, declared: int, data: bytes) -> bytes:
    """A tar whose one member's header declares `declared` bytes but holds `data`."""
    info = tarfile.TarInfo(name)
    info.size = declared
    header = info.tobuf(format=tarfile.GNU_FORMAT)
    padded = data + b"\0" * (-len(data) % 512)
    return header + padded + b"\0" * 1024


def patch_sizes(data: bytes, name: str, size: int) -> bytes:
    """A zip whose member `name` declares `size` uncompressed bytes in both headers."""
    return _patch(data, name, (22, 24), struct.pack("<I", size))


def patch_flags(data: bytes, name: str, flags: int) -> bytes:
    """A zip whose member `name` has these general purpose flags (0x1: encrypted)."""
    return _patch(data, name, (6, 8), struct.pack("<H", flags))


def _patch(data: bytes, name: str, offsets: tuple[int, int], value: bytes) -> bytes:
    """Overwrite a field of member `name`'s local header and central directory entry."""
    raw = bytearray(data)
    encoded = name.encode()
    for signature, offset in ((b"PK\x03\x04", offsets[0]), (b"PK\x01\x02", offsets[1])):
        start = 0
        while (found := raw.find(signature, start)) >= 0:
            start = found + 4
            name_at = found + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + len(encoded)] == encoded:
                raw[found + offset : found + offset + len(value)] = value
    return bytes(raw)
