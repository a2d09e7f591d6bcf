"""Zip containers (office files, zip archives) checked before anything inflates them."""

from __future__ import annotations

import io
import zipfile

from threadline.ingest.archive import ZIP_ERRORS
from threadline.ingest.documents.limits import DocumentLimits, ExtractionFailed, TooLarge


def check_zip(data: bytes, limits: DocumentLimits) -> None:
    """Refuse a zip whose declared sizes or ratios are those of a zip bomb.

    zipfile never inflates a member beyond its declared size, so the sizes in the
    central directory bound what any library reading it can be made to hold.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise ExtractionFailed(f"is not a readable zip archive ({exc})") from None
    with archive:
        check_members(archive.infolist(), limits)


def check_members(members: list[zipfile.ZipInfo], limits: DocumentLimits) -> None:
    """The declared sizes of a zip's members, against the limits."""
    total = sum(m.file_size for m in members)
    if total > limits.max_expanded_bytes:
        raise TooLarge(
            f"expands to {total:,} bytes, more than the {limits.max_expanded_bytes:,} allowed"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_floor_bytes and ratio > limits.max_compression_ratio:
            raise TooLarge(
                f"member {member.filename} expands {ratio:,.0f}-fold (to {member.file_size:,} "
                f"bytes), more than the {limits.max_compression_ratio}-fold allowed; refusing "
                "it as a likely zip bomb"
            )
