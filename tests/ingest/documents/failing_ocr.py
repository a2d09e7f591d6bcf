"""Prepare hooks for extraction processes in tests (`sandbox.Pool`): Tesseract runs
out of memory on every scan it is given, as libtesseract does on a page too large for
the process's memory limit, either as Python's MemoryError or as an abort of the
process. Everything else in extraction is real."""

from __future__ import annotations

import os
from typing import Any

from threadline.ingest.documents import extract


def out_of_memory(image: Any, options: Any, seconds: float | None = None) -> str:
    """`ocr.read_image`, out of memory."""
    raise MemoryError


def ocr_out_of_memory() -> None:
    """In a child: OCR raises MemoryError for every page."""
    setattr(extract, "read_image", out_of_memory)  # noqa: B010 -- extract does not export it


def abort(image: Any, options: Any, seconds: float | None = None) -> str:
    """`ocr.read_image`, ending its process as libtesseract does when an allocation
    fails inside it (C++ `std::bad_alloc` through its C API: abort)."""
    os.abort()


def ocr_aborts() -> None:
    """In a child: OCR aborts the process on every page."""
    setattr(extract, "read_image", abort)  # noqa: B010 -- extract does not export it
