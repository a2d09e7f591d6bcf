"""Archives: zip and Zip64 bombs, gzip/bzip2/xz bombs, deep nesting, traversal names,
links and devices inside tars, members that lie about their size."""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import warnings
import zipfile

from tests.ingest.hostile.entry import ANY, REFUSED, Entry
from tests.ingest.hostile.packing import (
    MIB,
    link,
    lying_tar,
    overlapping_zip,
    patch_flags,
    patch_sizes,
    tar_of,
    zip_of,
)
from tests.ingest.hostile.target import Target

BOMB = b"\0" * (24 * MIB)  # deflates ~1000-fold
BOMBS = "zip bombs"
NESTING = "deep nesting"
TRAVERSAL = "traversal"


def _nested(depth: int, wrap: str) -> bytes:
    data = b"the innermost file\n"
    for level in range(depth):
        if wrap == "zip":
            data = zip_of([(f"level{level}.{'zip' if level else 'txt'}", data)])
        elif wrap == "gz":
            data = gzip.compress(data, mtime=0)
        else:
            data = tar_of([(f"level{level}.{'tar' if level else 'txt'}", data)])
    return data


def _encrypted(_: Target) -> bytes:
    return patch_flags(zip_of([("secret.txt", b"pretend ciphertext")]), "secret.txt", 0x1)


def _zip_symlink(target: Target) -> bytes:
    info = zipfile.ZipInfo("link-to-canary")
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return zip_of([(info, str(target.canary).encode()), ("ok.txt", b"fine")])


def _many(count: int) -> bytes:
    return zip_of(((f"m/{i:05d}.txt", b"x") for i in range(count)), zipfile.ZIP_STORED)


def _traversal_zip(target: Target) -> bytes:
    names = [target.relative, "/etc/evil-absolute.txt", "..\\..\\..\\evil-backslash.txt",
             "C:\\Windows\\evil-drive.txt", "a/../../../../evil-dotdot.txt", "./././x.txt",
             "evil\0hidden.txt", "\u202eevil-rtl.txt", "a" * 4000 + ".txt"]  # fmt: skip
    return zip_of((n, f"member {i}".encode()) for i, n in enumerate(names))


def _traversal_tar(target: Target) -> bytes:
    return tar_of([(target.relative, b"dotdot member"), ("/abs/evil.txt", b"absolute member")])


def _links_tar(target: Target) -> bytes:
    canary = str(target.canary)
    return tar_of([
        link("sym-to-canary", canary, tarfile.SYMTYPE),
        link("hard-to-canary", canary, tarfile.LNKTYPE),
        link("sym-dir", "/etc", tarfile.SYMTYPE),
        link("dev-null", "", tarfile.CHRTYPE),
        link("fifo", "", tarfile.FIFOTYPE),
        ("plain.txt", b"a plain member beside the links"),
    ])  # fmt: skip


def _duplicates(_: Target) -> bytes:
    with warnings.catch_warnings():  # zipfile warns of the duplicate it is asked to write
        warnings.simplefilter("ignore", UserWarning)
        return zip_of([("same.txt", b"first"), ("same.txt", b"second")])


MAKERS = [
    Entry("bomb-deflate.zip", BOMBS, lambda t: zip_of([("zeros.txt", BOMB)]), REFUSED),
    Entry("bomb-bzip2.zip", BOMBS, lambda t: zip_of([("z.txt", BOMB)], zipfile.ZIP_BZIP2), REFUSED),
    Entry("bomb-lzma.zip", BOMBS, lambda t: zip_of([("z.txt", BOMB)], zipfile.ZIP_LZMA), REFUSED),
    Entry("bomb-zip64.zip", BOMBS, lambda t: zip_of([("z.txt", BOMB)], zip64=True), REFUSED),
    Entry(
        "bomb-zip64-many.zip",
        BOMBS,
        lambda t: zip_of([(f"z{i}.txt", BOMB[: 2 * MIB]) for i in range(8)], zip64=True),
        REFUSED,
    ),
    Entry("bomb-overlap.zip", BOMBS, lambda t: overlapping_zip(400, 6 * MIB), REFUSED),
    Entry("bomb-overlap-small.zip", BOMBS, lambda t: overlapping_zip(50, 2 * MIB), REFUSED),
    Entry(
        "bomb-lying-size.zip",
        BOMBS,
        lambda t: patch_sizes(zip_of([("z.txt", BOMB[: 4 * MIB])]), "z.txt", 100),
    ),
    Entry(
        "bomb-in-docx.docx",
        BOMBS,
        lambda t: zip_of([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", BOMB)]),
        REFUSED,
    ),
    Entry("bomb.gz", BOMBS, lambda t: gzip.compress(BOMB, mtime=0), REFUSED),
    Entry("bomb.bz2", BOMBS, lambda t: bz2.compress(BOMB), REFUSED),
    Entry("bomb.xz", BOMBS, lambda t: lzma.compress(BOMB), REFUSED),
    Entry("bomb.tar.gz", BOMBS, lambda t: gzip.compress(tar_of([("z.bin", BOMB)]), mtime=0)),
    Entry(
        "bomb-in-zip-in-zip.zip",
        BOMBS,
        lambda t: zip_of([("inner.zip", zip_of([("z.txt", BOMB)]))]),
        REFUSED,
    ),
    Entry("many-members.zip", BOMBS, lambda t: _many(10_050), REFUSED),
    Entry("lying-header.tar", BOMBS, lambda t: lying_tar("big.bin", 1 << 40, b"tiny"), REFUSED),
    Entry("encrypted.zip", BOMBS, _encrypted, REFUSED),
    Entry("truncated.zip", BOMBS, lambda t: zip_of([("a.txt", b"text " * 1000)])[:-30], REFUSED),
    Entry("nested-zip-8.zip", NESTING, lambda t: _nested(8, "zip"), REFUSED),
    Entry("nested-gz-9.gz", NESTING, lambda t: _nested(9, "gz"), REFUSED),
    Entry("nested-tar-8.tar", NESTING, lambda t: _nested(8, "tar"), REFUSED),
    Entry("nested-zip-3.zip", NESTING, lambda t: _nested(3, "zip"), ANY),
    Entry("traversal.zip", TRAVERSAL, _traversal_zip),
    Entry("traversal.tar", TRAVERSAL, _traversal_tar),
    Entry(
        "traversal.tgz", TRAVERSAL, lambda t: gzip.compress(tar_of([(t.relative, b"x")]), mtime=0)
    ),
    Entry("symlink-member.zip", TRAVERSAL, _zip_symlink),
    Entry("links-and-devices.tar", TRAVERSAL, _links_tar),
    Entry("duplicate-names.zip", TRAVERSAL, _duplicates),
]
