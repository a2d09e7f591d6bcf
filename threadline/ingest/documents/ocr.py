"""What to say about text that only OCR could read: threadline does not run OCR yet."""

from __future__ import annotations


def no_text_notice(what: str) -> str:
    """The notice for pages or images without a text layer."""
    return (
        f"{what} has no text layer and was not OCRed: threadline does not run OCR yet "
        "(it will need the Python package pytesseract and the Debian package tesseract-ocr)"
    )
