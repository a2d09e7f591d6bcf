"""The most one document file may ask of extraction: sizes, members, nesting, time, memory."""

from __future__ import annotations

from dataclasses import dataclass

from threadline.ingest.limits import MIB, Limits


class TooLarge(Exception):
    """A document, member or archive over a limit; its message says which."""


class ExtractionFailed(Exception):
    """A document that cannot be read; its message says why, for processingError."""


@dataclass(frozen=True)
class DocumentLimits:
    """Caps for the documents of one file; the record limits are reused where they fit."""

    # Bytes of one document held in memory to extract it (an archive member, once
    # decompressed, or a file on disk that is not an archive).
    max_document_bytes: int = 256 * MIB
    # Bytes all the members of one archive (nested ones too) may expand to, and how many
    # times larger than compressed a member (over `ratio_floor_bytes`) may become.
    max_expanded_bytes: int = 2 << 30
    max_compression_ratio: int = 100
    ratio_floor_bytes: int = MIB
    max_members: int = 10_000  # files in one top-level file, nested ones counted
    max_depth: int = 5  # archives inside archives (inside e-mails...)
    max_pages: int = 10_000  # pages or slides of one document
    max_text_chars: int = MIB  # characters in one text value (longer text is split)
    # Address space the process extracting one top-level file may add (RLIMIT_AS, in
    # the extraction's child process; see `documents.sandbox`).
    max_memory_bytes: int = 2 << 30

    @classmethod
    def of(cls, limits: Limits) -> DocumentLimits:
        """The document limits that follow the given record limits."""
        return cls(
            max_expanded_bytes=limits.max_uncompressed_bytes,
            max_compression_ratio=limits.max_compression_ratio,
            ratio_floor_bytes=limits.ratio_floor_bytes,
            max_text_chars=limits.max_field_chars,
            max_memory_bytes=limits.max_worker_memory_bytes,
        )
