"""OCR: the text of scans and images, read by Tesseract (the `ocr` extra).

Tesseract is the Debian program `tesseract` (package `tesseract-ocr`, plus
`tesseract-ocr-deu` and so on for other languages), found through `pytesseract`; pages
are read by its library in this process (`documents.tessapi`: the models loaded once,
not once a page) when it is the program's own version, else by running the program. Without
either, an image or a page without a text layer is kept with a notice that names what
to install: nothing fails, and no one believes the page was searched.

Results are cached by the image's hash and the languages asked, in the data
directory, so re-ingesting a folder of scans (or the same scan in two archives) reads
each page once.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threadline.ingest.documents import tessapi

if TYPE_CHECKING:
    from PIL.Image import Image

# Tesseract reads words of 10-12 points best at about 300 dpi.
DPI = 300
# A page or image is shrunk to at most this many pixels before it is read (a pixel
# flood is refused earlier, by Pillow's own limit; see `documents.other`).
MAX_PIXELS = 40_000_000
INSTALL = (
    "install the Python package pytesseract (pip install 'threadline[ocr]') and the "
    "Debian package tesseract-ocr"
)


class OcrUnavailable(Exception):
    """Tesseract or a language it was asked for is not installed; the message says which."""


@dataclass(frozen=True)
class OcrOptions:
    """How to OCR one ingest's documents: Tesseract's languages ("deu+eng") and where
    results are cached (None: not cached). `enabled=False` keeps scans as they are."""

    languages: str = "eng"
    cache: Path | None = None
    enabled: bool = True

    def __post_init__(self) -> None:
        parts = self.languages.split("+")
        if not all(p and p.replace("_", "").isalnum() for p in parts):
            raise ValueError(
                f"OCR languages {self.languages!r} are not Tesseract language codes joined "
                "by '+' (such as 'deu+eng')"
            )


def no_text_notice(what: str, why: str | None = None) -> str:
    """The notice for pages or images whose text could not be read."""
    return f"{what} has no text layer and was not OCRed: {why or INSTALL}"


@cache
def _tesseract() -> tuple[Any, str, frozenset[str]]:
    """pytesseract, Tesseract's version and its installed languages; or why not."""
    try:
        pytesseract = _import_pytesseract()
    except ImportError:
        raise OcrUnavailable(INSTALL) from None
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise OcrUnavailable(f"the tesseract program is missing ({INSTALL})")
    version = str(pytesseract.get_tesseract_version()).split()[0]
    languages = frozenset(pytesseract.get_languages(config=""))
    return pytesseract, version, languages


# pytesseract imports numpy and pandas when they are installed, for image arrays and
# data frames this module never passes or asks for: in an extraction process that was
# 80 MiB of its memory and 440 modules (issue 14).
_UNUSED = ("numpy", "pandas")


class _Unused(importlib.abc.MetaPathFinder):
    """Makes the modules pytesseract would import for nothing look absent."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.partition(".")[0] in _UNUSED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def _import_pytesseract() -> Any:
    """pytesseract, without numpy and pandas (unless already loaded) where no other
    thread could be importing them meanwhile: a process with one thread, such as the
    extraction process."""
    if threading.active_count() > 1:
        import pytesseract

        return pytesseract
    hidden = _Unused()
    sys.meta_path.insert(0, hidden)
    try:
        import pytesseract
    finally:
        sys.meta_path.remove(hidden)
    return pytesseract


def agent(options: OcrOptions) -> str:
    """What read the text, for the document's `processingAgent`."""
    _, version, _ = _tesseract()
    return f"tesseract {version} ({options.languages})"


def read_image(image: Image, options: OcrOptions, seconds: float | None = None) -> str:
    """The text Tesseract reads in `image`, from the cache if this image was read before
    with these languages. Raises `OcrUnavailable` if it cannot be read at all."""
    pytesseract, version, installed = _tesseract()
    missing = [lang for lang in options.languages.split("+") if lang not in installed]
    if missing:
        raise OcrUnavailable(
            f"Tesseract has no data for the language(s) {', '.join(missing)} (Debian "
            f"package {' and '.join('tesseract-ocr-' + m.lower() for m in missing)})"
        )
    image = _bounded(image)
    key = _key(image, options.languages, version)
    cached = _cached(options.cache, key)
    if cached is not None:
        return cached
    started = tessapi.engine(options.languages) if tessapi.version() == version else None
    if started is not None:  # the library, its models loaded once (`documents.tessapi`)
        try:
            text = started.read(image, seconds)
        except tessapi.TimedOut as exc:
            raise OcrUnavailable(f"Tesseract took longer than the time left ({exc})") from None
    else:
        text = _run_program(pytesseract, image, options.languages, seconds)
    _store(options.cache, key, text)
    return text


def _run_program(pytesseract: Any, image: Image, languages: str, seconds: float | None) -> str:
    """The text the `tesseract` program reads in `image` (one process for the page)."""
    # Handed over as an uncompressed PNM file of our own: given the image, pytesseract
    # would compress it to PNG first (a tenth of a second or more a page) for
    # Tesseract to decompress.
    handle, path = tempfile.mkstemp(prefix="threadline-ocr-", suffix=".pnm")
    try:
        with os.fdopen(handle, "wb") as out:
            image.save(out, format="PPM")  # PGM for grey pages, PPM for colour
        return str(pytesseract.image_to_string(path, lang=languages, timeout=seconds))
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrUnavailable(f"Tesseract took longer than the time left ({exc})") from None
    finally:
        os.unlink(path)


def _bounded(image: Image) -> Image:
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    pixels = image.width * image.height
    if pixels > MAX_PIXELS:
        scale = (MAX_PIXELS / pixels) ** 0.5
        image = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    return image


def _key(image: Image, languages: str, version: str) -> str:
    digest = hashlib.sha256(f"{image.mode}:{image.width}x{image.height}:".encode())
    digest.update(image.tobytes())
    digest.update(f":{languages}:{version}".encode())
    return digest.hexdigest()


def _cached(folder: Path | None, key: str) -> str | None:
    if folder is None:
        return None
    path = folder / key[:2] / f"{key}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def _store(folder: Path | None, key: str, text: str) -> None:
    """Write a result whole or not at all (a crash leaves no half-written entry)."""
    if folder is None:
        return
    target = folder / key[:2]
    target.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target, suffix=".part")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temp, target / f"{key}.txt")
