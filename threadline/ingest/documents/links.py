"""Files found in a folder that ingest must not open: symbolic links that lead out of
the folder (or nowhere, or round in a loop), and devices, pipes and sockets.

A folder to ingest is often a leak as it was unpacked, and a link in it can point at
any file of the machine running ingest (`/etc/shadow`, the store itself); a pipe
would block the read forever. Such a file is not opened, not even hashed: it becomes
a failed document that names the reason, so the rest of the folder is ingested and
the refusal is listed with the other failures. Links that stay inside the folder are
read like any file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any, cast

from threadline.errors import InputError
from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.entities import FAILURE, guess_mime, new_document
from threadline.ingest.source import ErrorSink, SourceFile

OUTSIDE = "is a symbolic link to a file outside the folder being ingested; it was not followed"
BROKEN = "is a symbolic link that leads nowhere (or round in a loop); it was not followed"
SPECIAL = "is not a regular file (a device, pipe or socket); it was not read"
# The kind of source a refused file is recorded as: not a document file, so nothing
# downstream (kept originals, mention scans) goes looking at its path.
REFUSED_KIND = "refused"


def refusal(path: Path, shown: str) -> str | None:
    """Why the file at `path`, found in a folder as `shown` (its path relative to the
    folder), must not be read; None if it may be."""
    folder = Path(*path.parts[: len(path.parts) - len(PurePosixPath(shown).parts)])
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
            return BROKEN
        if not target.is_relative_to(folder.resolve()):
            return OUTSIDE
    if not path.is_file():
        return SPECIAL
    return None


def refused(
    path: Path, shown: str, reason: str, failed: list[InputError]
) -> tuple[
    SourceFile, Callable[[ErrorSink | None, Callable[[int], None]], Iterator[tuple[int, Any]]]
]:
    """The source and the reader of a refused file: one failed document, named by the
    folder's path of it and identified by what the link says (never by its target)."""
    what = os.readlink(path) if path.is_symlink() else f"special file {shown}"
    sha256 = hashlib.sha256(f"threadline refused: {what}".encode()).hexdigest()
    source = SourceFile(path=path, sha256=sha256, size=0, encoding="binary")

    def read(
        on_error: ErrorSink | None, on_bytes: Callable[[int], None]
    ) -> Iterator[tuple[int, Any]]:
        blob = Blob(PurePosixPath(shown).name, shown, None, b"", 0)
        blob.__dict__["sha256"] = sha256  # not the target's: it is never read
        doc = new_document("Document", blob, None, guess_mime(blob.name))
        doc.add("processingStatus", FAILURE)
        doc.add("processingError", reason)
        failed.append(InputError(str(path), reason))
        yield cast(int, None), doc.to_dict()  # a document has no row (see plan.py)

    return source, read
