"""The XLSX zip archive, checked before openpyxl parses any of it.

openpyxl trusts the archive: it inflates a 1 MB file's shared string to 1 GiB, or
holds 30 million shared strings in memory. Here the sizes in the zip's directory are
checked first (zipfile never inflates a part beyond its declared size, so they are
an upper bound), then every XML part is streamed once, in constant memory, for what
would cost openpyxl dearly: an over-long value, too many shared strings, and XML
declarations (DOCTYPE, entities, CDATA) that no XLSX writer emits.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from threadline.errors import InputError
from threadline.ingest.limits import Limits

_CHUNK = 1 << 20
# A shared string (`<si>`, maybe with a namespace prefix), and XML declarations.
_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?si[\s/>]")
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY|\[CDATA\[)")
_TAIL = 32  # longer than any match above, so none is lost between two chunks
# zipfile and zlib fail in these ways on a damaged, encrypted or unsupported archive
# (NotImplementedError, for an unknown compression method, is a RuntimeError).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError)


def check_archive(path: Path, limits: Limits) -> None:
    """Raise an InputError naming the file (and part) if it could cost too much to read."""
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise InputError(path, f"is not an XLSX file (not a readable zip archive: {exc})") from None
    with archive:
        parts = archive.infolist()
        total = sum(p.file_size for p in parts)
        if total > limits.max_uncompressed_bytes:
            raise InputError(
                path,
                f"expands to {total:,} bytes, more than the {limits.max_uncompressed_bytes:,} "
                "allowed for an XLSX file",
            )
        for part in parts:
            ratio = part.file_size / max(part.compress_size, 1)
            if part.file_size > limits.ratio_floor_bytes and ratio > limits.max_compression_ratio:
                raise InputError(
                    path,
                    f"part {part.filename} expands {ratio:,.0f}-fold (to {part.file_size:,} "
                    f"bytes), more than the {limits.max_compression_ratio}-fold a spreadsheet "
                    "does; refusing it as a likely zip bomb",
                )
        strings = 0
        for part in parts:
            if part.filename.lower().endswith((".xml", ".rels", ".vml")):
                strings += _scan(archive, part, path, limits, strings)


def _scan(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, path: Path, limits: Limits, strings: int
) -> int:
    """Stream one part; return its shared strings, raise at the first thing too costly."""
    # Text and attributes cannot hold a raw "<", so the longest run without one bounds
    # every value; in bytes, so with room for 4-byte UTF-8 characters.
    longest = 4 * limits.max_field_chars + 1024
    run = count = 0
    tail = b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                first = chunk.find(b"<")
                if first < 0:
                    run += len(chunk)
                else:
                    last = chunk.rfind(b"<")
                    run += first
                    if last - first > longest:  # only then can a run inside the chunk be too long
                        run = max(run, *map(len, chunk[first + 1 : last].split(b"<")))
                    if run <= longest:
                        run = len(chunk) - last - 1
                if run > longest:
                    raise InputError(
                        path,
                        f"part {part.filename} holds a value longer than "
                        f"{limits.max_field_chars:,} characters, the most allowed in one value",
                    )
                data = tail + chunk
                if _DECLARATION.search(data):
                    raise InputError(
                        path,
                        f"part {part.filename} has an XML declaration (DOCTYPE, ENTITY or "
                        "CDATA) that spreadsheets do not use; refusing it",
                    )
                # No match holds a second "<", so those within the tail are the ones
                # already counted with the previous chunk.
                count += len(_STRING.findall(data)) - len(_STRING.findall(tail))
                if strings + count > limits.max_shared_strings:
                    raise InputError(
                        path,
                        f"has more than {limits.max_shared_strings:,} shared strings, the most "
                        "allowed in an XLSX file",
                    )
                tail = data[-_TAIL:]
    except ZIP_ERRORS as exc:
        raise InputError(path, f"is a damaged XLSX file (part {part.filename}: {exc})") from None
    return count
