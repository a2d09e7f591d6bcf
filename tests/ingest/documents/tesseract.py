"""Tesseract for the OCR tests: Debian's `tesseract-ocr` (with English)."""

from __future__ import annotations

from tests.debian import ensure_program


def ensure_tesseract() -> str:
    """The tesseract program's path, installing the Debian package if need be."""
    return ensure_program("tesseract", "tesseract-ocr")
