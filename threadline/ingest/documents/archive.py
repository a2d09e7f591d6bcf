"""Archives (zip, tar, and single-file gzip, bzip2, xz) as a `Package` of child documents.

Nothing is written to disk: members are read into memory, each bounded, so a
member's path ("../../etc/passwd") is only a label and cannot reach outside. Paths
are still normalised for display. Before a member is inflated its declared size
counts against the file's limits, and the bytes read are bounded by them too (a
tar or gzip header can lie); a member that expands past the compression ratio a
real document has is refused as a likely bomb.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import posixpath
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING

from followthemoney.proxy import EntityProxy

from threadline.ingest.archive import ZIP_ERRORS
from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.limits import DocumentLimits, ExtractionFailed, TooLarge
from threadline.ingest.documents.ziplimits import check_members

if TYPE_CHECKING:
    from threadline.ingest.documents.extract import Extraction

_STREAM_ERRORS = (*ZIP_ERRORS, tarfile.TarError, lzma.LZMAError)
_CHUNK = 1 << 20
# Compressed bytes a decompressor may have read ahead of what it has handed out
# (gzip reads 128 KiB at a time); counted for every member, so none looks smaller.
_READ_AHEAD = 128 << 10


def member_path(name: str) -> str:
    """A member's name as a clean relative path: no root, no "..", no backslashes."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return posixpath.join(*parts) if parts else "unnamed"


def _bounded(stream: IO[bytes], limit: int, name: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"member {name} is larger than the {limit:,} bytes a document may have")
    return data


def extract_zip(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """Every file in a zip archive."""
    limits = ctx.limits
    try:
        with blob.open() as fh, zipfile.ZipFile(fh) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            check_members(members, limits)
            for member in members:
                ctx.check_time()
                if member.flag_bits & 0x1:
                    raise ExtractionFailed(f"member {member.filename} is encrypted")
                limit = min(limits.max_document_bytes, member.file_size)
                with archive.open(member) as stream:
                    data = _bounded(stream, limit, member.filename)
                yield from ctx.child(doc, blob, member_path(member.filename), data)
    except ZIP_ERRORS as exc:
        raise ExtractionFailed(f"is not a readable zip archive ({exc})") from None


def extract_tar(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """Every regular file in a tar archive (compressed or not); links and devices are skipped."""
    limits = ctx.limits
    try:
        with blob.open() as fh, tarfile.open(fileobj=fh, mode="r:*") as archive:
            for member in archive:
                ctx.check_time()
                if not member.isfile():
                    continue
                if member.size > limits.max_document_bytes:
                    raise TooLarge(
                        f"member {member.name} is {member.size:,} bytes, more than the "
                        f"{limits.max_document_bytes:,} a document may have"
                    )
                stream = archive.extractfile(member)
                if stream is None:
                    continue
                path = member_path(member.name)
                try:
                    data = _member_bytes(stream, fh, member, limits)
                except TooLarge as exc:
                    yield ctx.refuse(doc, blob, path, member.size, str(exc))
                    continue
                yield from ctx.child(doc, blob, path, data)
    except (tarfile.TarError, *ZIP_ERRORS, lzma.LZMAError) as exc:
        raise ExtractionFailed(f"is not a readable tar archive ({exc})") from None


def _member_bytes(
    stream: IO[bytes], packed: IO[bytes], member: tarfile.TarInfo, limits: DocumentLimits
) -> bytes:
    """A tar member's bytes, refused (TooLarge) as soon as it has expanded more than a
    real document does from the compressed bytes read for it: a zip member's ratio is
    declared, a compressed tar's is only known by reading. `packed` is the archive's
    own stream, whose position is the compressed bytes consumed so far; decompressors
    read ahead, so a chunk of slack keeps a member that merely starts a read from
    looking like a bomb."""
    start = packed.tell()
    out = io.BytesIO()
    while chunk := stream.read(_CHUNK):  # never past the member's declared size
        out.write(chunk)
        size = out.tell()
        consumed = packed.tell() - start + _READ_AHEAD
        if size > limits.ratio_floor_bytes and size / consumed > limits.max_compression_ratio:
            raise TooLarge(
                f"member {member.name} expands more than {limits.max_compression_ratio}-fold "
                f"(to {member.size:,} bytes declared); refusing it as a likely compression bomb"
            )
    return out.getvalue()


def _opener(blob: Blob) -> Callable[[IO[bytes]], io.BufferedIOBase]:
    """The decompressor its first bytes (else its suffix) call for."""
    head = blob.head(6)
    if head.startswith(b"BZh") or (blob.suffix == ".bz2" and not head.startswith(b"\x1f\x8b")):
        return bz2.BZ2File
    if head.startswith(b"\xfd7zXZ") or (blob.suffix == ".xz" and not head.startswith(b"\x1f\x8b")):
        return lzma.LZMAFile
    return lambda fh: gzip.GzipFile(fileobj=fh)


def extract_stream(ctx: Extraction, doc: EntityProxy, blob: Blob) -> Iterator[EntityProxy]:
    """The one file a gzip, bzip2 or xz stream holds, named without the suffix."""
    opener = _opener(blob)
    stem = blob.name[: -len(blob.suffix)] if blob.suffix else f"{blob.name}.out"
    try:
        with blob.open() as fh, opener(fh) as stream:
            data = _inflate(stream, blob.size, ctx.limits, stem)
    except _STREAM_ERRORS as exc:
        raise ExtractionFailed(f"is not a readable compressed file ({exc})") from None
    yield from ctx.child(doc, blob, stem, data)


def _inflate(stream: io.BufferedIOBase, packed: int, limits: DocumentLimits, name: str) -> bytes:
    """Decompress in chunks, stopping at the size or ratio limits."""
    out = io.BytesIO()
    ceiling = min(limits.max_document_bytes, limits.max_expanded_bytes)
    while chunk := stream.read(1 << 20):
        out.write(chunk)
        size = out.tell()
        if size > ceiling:
            raise TooLarge(f"{name} expands to more than the {ceiling:,} bytes allowed")
        if size > limits.ratio_floor_bytes and size / max(packed, 1) > limits.max_compression_ratio:
            raise TooLarge(
                f"{name} expands more than {limits.max_compression_ratio}-fold; refusing it "
                "as a likely compression bomb"
            )
    return out.getvalue()
