"""A small writer of OLE compound files (MS-CFB, version 3), to make Outlook `.msg` test
files: no Python package we may depend on writes them (olefile reads only).

Streams under 4,096 bytes go to the mini stream, as the format requires; each storage's
children are a binary tree sorted the way the format sorts names (length, then upper
case). Colours are all black, which readers do not check.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    start: int = END
    left: int = NONE
    right: int = NONE
    child: int = NONE


def _key(entry: _Entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()


def _tree(paths: dict[str, bytes]) -> _Entry:
    root = _Entry("Root Entry", ROOT)
    for path, data in sorted(paths.items()):
        node = root
        *folders, name = path.split("/")
        for folder in folders:
            found = next((c for c in node.children if c.name == folder), None)
            if found is None:
                found = _Entry(folder, STORAGE)
                node.children.append(found)
            node = found
        node.children.append(_Entry(name, STREAM, data))
    return root


def _flatten(root: _Entry) -> list[_Entry]:
    entries = [root]

    def link(siblings: list[_Entry]) -> int:
        if not siblings:
            return NONE
        middle = len(siblings) // 2
        node = siblings[middle]
        index = len(entries)
        entries.append(node)
        node.left = link(siblings[:middle])
        node.right = link(siblings[middle + 1 :])
        node.child = link(sorted(node.children, key=_key))
        return index

    root.child = link(sorted(root.children, key=_key))
    return entries


def compound_file(paths: dict[str, bytes]) -> bytes:
    """A compound file holding these streams ("storage/substorage/stream": bytes)."""
    entries = _flatten(_tree(paths))
    streams = [e for e in entries if e.kind == STREAM]
    # The mini stream: small streams in 64-byte mini sectors, chained in the mini FAT.
    mini, minifat = bytearray(), []
    for entry in (e for e in streams if len(e.data) < CUTOFF):
        count = max(1, -(-len(entry.data) // MINI))
        entry.start = len(minifat) if entry.data else END
        first = len(minifat)
        minifat += [first + i + 1 for i in range(count - 1)] + [END]
        mini += entry.data.ljust(count * MINI, b"\0")
    # Regular sectors, in order: big streams, the mini stream, the mini FAT, the
    # directory, then the FAT, which covers them all and itself.
    sectors: list[bytes] = []
    chains: list[int] = []

    def place(data: bytes) -> int:
        count = max(1, -(-len(data) // SECTOR))
        first = len(sectors)
        for i in range(count):
            sectors.append(data[i * SECTOR : (i + 1) * SECTOR].ljust(SECTOR, b"\0"))
            chains.append(first + i + 1 if i < count - 1 else END)
        return first

    for entry in (e for e in streams if len(e.data) >= CUTOFF):
        entry.start = place(entry.data)
    root = entries[0]
    root.data = bytes(mini)
    root.start = place(bytes(mini)) if mini else END
    minifat_start = place(b"".join(struct.pack("<I", n) for n in minifat)) if minifat else END
    unused = -len(entries) % (SECTOR // 128)  # a sector holds 4 entries
    directory = b"".join(_directory_entry(e) for e in [*entries, *[_Entry("", 0)] * unused])
    directory_start = place(directory)
    fat_count = 1
    while (len(sectors) + fat_count) * 4 > fat_count * SECTOR:
        fat_count += 1
    fat_first = len(sectors)
    table = chains + [FAT_SECTOR] * fat_count
    table += [FREE] * (fat_count * SECTOR // 4 - len(table))
    fat = b"".join(struct.pack("<I", n) for n in table)
    sectors += [fat[i * SECTOR : (i + 1) * SECTOR] for i in range(fat_count)]
    difat = [fat_first + i for i in range(fat_count)] + [FREE] * (109 - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,  # minor version
        3,  # major version: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector shift: 2^9
        6,  # mini sector shift: 2^6
        b"\0" * 6,
        0,  # directory sectors (0 in version 3)
        fat_count,
        directory_start,
        0,  # transaction signature
        CUTOFF,
        minifat_start,
        -(-len(minifat) * 4 // SECTOR) if minifat else 0,
        END,  # first DIFAT sector: none beyond the header's 109
        0,
        *difat[:1],
    )
    header += b"".join(struct.pack("<I", n) for n in difat[1:])
    return header.ljust(SECTOR, b"\0") + b"".join(sectors)


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\0\0"
    if not entry.kind:  # an unused slot
        name = b""
    size = len(entry.data) if entry.kind in (STREAM, ROOT) else 0
    start = entry.start if entry.kind in (STREAM, ROOT) else 0
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        entry.kind,
        1,  # black
        entry.left,
        entry.right,
        entry.child,
        b"\0" * 16,
        0,
        0,
        0,
        start,
        size,
    )
