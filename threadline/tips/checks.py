"""The malicious-file caps of document ingest, applied to a tip's file at intake.

Nothing is unpacked or parsed here: a zip container's (zip, docx, xlsx, pptx, odt,
odp) central directory is read for its declared sizes and member count, and an
image's header for its pixel count, against the same `DocumentLimits` and pixel cap
document ingest enforces. A file that would be refused there as a bomb is refused
here, before it is kept. Archives are kept packed: tar, gzip, bzip2 and xz are only
opened, bounded by the same caps, when an investigator turns the tip into documents.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from threadline.errors import InputError
from threadline.ingest.archive import ZIP_ERRORS
from threadline.ingest.documents import kinds
from threadline.ingest.documents.blob import Blob
from threadline.ingest.documents.limits import DocumentLimits, TooLarge
from threadline.ingest.documents.ziplimits import check_members

ZIPPED = frozenset({"zip", "docx", "xlsx", "pptx", "odt", "odp"})


def check_file(path: Path, name: str, limits: DocumentLimits | None = None) -> str:
    """The file's kind (the documents ingest's format name), or `InputError` naming
    the file if ingest would refuse it as a bomb. A file whose container cannot be
    read is kept: ingest records it as a failed document, as it would any other."""
    limits = limits or DocumentLimits()
    found = kinds.detect(Blob(name, name, file=path))
    try:
        if found.name in ZIPPED:
            _check_zip(path, limits)
        elif found is kinds.IMAGE:
            _check_image(path)
    except TooLarge as refusal:
        raise InputError(name, str(refusal)) from None
    return found.name


def _check_zip(path: Path, limits: DocumentLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except ZIP_ERRORS:
        return
    if len(members) > limits.max_members:
        raise TooLarge(
            f"holds {len(members):,} files, more than the {limits.max_members:,} allowed"
        )
    check_members(members, limits)


def _check_image(path: Path) -> None:
    # Pillow reads only the header here; the pixels are decoded by OCR, later.
    from PIL import Image, UnidentifiedImageError

    from threadline.ingest.documents.other import MAX_IMAGE_PIXELS

    try:
        with Image.open(path) as image:
            width, height = image.size
    except Image.DecompressionBombError as exc:
        raise TooLarge(f"is too many pixels to read ({exc})") from None
    except (UnidentifiedImageError, OSError):
        return
    if width * height > MAX_IMAGE_PIXELS:
        raise TooLarge(
            f"is {width:,} x {height:,} pixels, more than the {MAX_IMAGE_PIXELS:,} allowed"
        )
