"""A blob: the bytes of one file to extract, on disk or from inside a container."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from threadline.ingest.documents.limits import DocumentLimits, TooLarge

_CHUNK = 1 << 20


@dataclass
class Blob:
    """One file's bytes, named as the user will see it.

    `name` is the file name; `path` is where it sits inside its container (an
    archive member's path, an attachment's name; for a file found in a folder, its
    path relative to that folder). A blob on disk is read when needed, so a large
    archive is never held in memory whole; a member's bytes come decompressed,
    bounded by `DocumentLimits`.
    """

    name: str
    path: str
    file: Path | None = None
    data: bytes | None = field(default=None, repr=False)
    depth: int = 0  # containers above it

    @classmethod
    def of_bytes(cls, path: str, data: bytes, depth: int) -> Blob:
        """A blob held in memory, named by its path inside its container."""
        return cls(PurePosixPath(path).name or path, path, None, data, depth)

    @cached_property
    def size(self) -> int:
        """Bytes."""
        if self.data is not None:
            return len(self.data)
        assert self.file is not None
        return self.file.stat().st_size

    @cached_property
    def sha256(self) -> str:
        """The sha256 of the bytes, as hex: the document's content hash."""
        digest = hashlib.sha256()
        with self.open() as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    @property
    def suffix(self) -> str:
        """The lower-case file extension, with its dot ("" if none)."""
        return PurePosixPath(self.name).suffix.lower()

    def open(self) -> BinaryIO:
        """The bytes as a binary stream."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.file is not None
        return self.file.open("rb")

    def head(self, size: int = 16) -> bytes:
        """The first bytes, for recognising the format."""
        if self.data is not None:
            return self.data[:size]
        with self.open() as fh:
            return fh.read(size)

    def read(self, limits: DocumentLimits) -> bytes:
        """All the bytes, if no more than a document may hold in memory."""
        if self.size > limits.max_document_bytes:
            raise TooLarge(
                f"is {self.size:,} bytes, more than the {limits.max_document_bytes:,} a "
                "document may have to be extracted"
            )
        if self.data is not None:
            return self.data
        assert self.file is not None
        return self.file.read_bytes()


def hash_file(path: Path) -> str:
    """The sha256 of a file on disk, read in chunks."""
    return Blob(path.name, path.name, path).sha256
