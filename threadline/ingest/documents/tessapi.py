"""Tesseract's own C API (libtesseract, loaded with ctypes), for OCR without a process
a page.

The `tesseract` program loads its language models anew for every page it is given:
about 0.2 s of CPU a page, a fifth of reading an A4 scan (issue 14). Through the
library the models are loaded once per process and kept, and each page costs only its
recognition. The page is recognised as the program does it, with the same library:
automatic page segmentation (the program's default; the library's is a single
block), the default engine, no resolution given (Tesseract estimates it, as for the
PNM file the program was handed), the text as the program's text output writes a
single page (no page separator: that goes between pages). The texts are equal to the
character (tested).

Where the library cannot be loaded (no Debian `libtesseract5`, another system), or
does not start with the languages asked for, `documents.ocr` runs the program.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import os
import threading
import time
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

_LIBRARIES = ("libtesseract.so.5", "libtesseract.so")
_PSM_AUTO = 3  # what the program uses unless told otherwise
_BYTES_PER_PIXEL = {"L": 1, "RGB": 3}
_MAX_DEADLINE_MS = 2**31 - 1  # an int in C


class TimedOut(Exception):
    """Recognition stopped at its deadline."""


class Failed(Exception):
    """Recognition failed before its deadline (Tesseract could not take the image,
    or ran out of memory where it checks)."""


@cache
def _library() -> ctypes.CDLL | None:
    # One OpenMP thread, unless the user chose otherwise: the recognition now runs in
    # the extraction process, whose CPU-time limit is the file's time budget, which
    # threads spinning beside it would use up before the clock does (libgomp reads
    # this when it is loaded, with the library).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    names = [*_LIBRARIES, ctypes.util.find_library("tesseract")]
    for name in names:
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        _declare(lib)
        return lib
    return None


def _declare(lib: ctypes.CDLL) -> None:
    handle, text = ctypes.c_void_p, ctypes.c_char_p
    for name, result, args in (
        ("TessVersion", text, []),
        ("TessBaseAPICreate", handle, []),
        ("TessBaseAPIDelete", None, [handle]),
        ("TessBaseAPISetVariable", ctypes.c_int, [handle, text, text]),
        ("TessBaseAPIInit3", ctypes.c_int, [handle, text, text]),
        ("TessBaseAPISetPageSegMode", None, [handle, ctypes.c_int]),
        ("TessBaseAPISetImage", None, [handle, text] + [ctypes.c_int] * 4),
        ("TessBaseAPIRecognize", ctypes.c_int, [handle, handle]),
        ("TessBaseAPIGetUTF8Text", handle, [handle]),
        ("TessBaseAPIClear", None, [handle]),
        ("TessDeleteText", None, [handle]),
        ("TessMonitorCreate", handle, []),
        ("TessMonitorDelete", None, [handle]),
        ("TessMonitorSetDeadlineMSecs", None, [handle, ctypes.c_int]),
    ):
        function = getattr(lib, name)
        function.restype = result
        function.argtypes = args


class Engine:
    """One started Tesseract (its models loaded) for one set of languages. Tesseract's
    state is per engine, so a lock lets one thread at a time use it."""

    def __init__(self, lib: ctypes.CDLL, handle: int) -> None:
        self._lib = lib
        self._handle = handle
        self._lock = threading.Lock()

    def read(self, image: Image, seconds: float | None = None) -> str:
        """The text of a grey ("L") or colour ("RGB") image, as the program gives it.
        Raises `TimedOut` past `seconds`, `Failed` if Tesseract gave up before."""
        lib, handle = self._lib, self._handle
        depth = _BYTES_PER_PIXEL[image.mode]
        data = image.tobytes()
        with self._lock:
            # Tesseract copies the pixels into an image of its own.
            lib.TessBaseAPISetImage(
                handle, data, image.width, image.height, depth, depth * image.width
            )
            monitor = lib.TessMonitorCreate()
            try:
                if seconds is not None:
                    deadline = min(_MAX_DEADLINE_MS, max(1, math.ceil(seconds * 1000)))
                    lib.TessMonitorSetDeadlineMSecs(monitor, deadline)
                started = time.monotonic()
                if lib.TessBaseAPIRecognize(handle, monitor) != 0:
                    lib.TessBaseAPIClear(handle)
                    if seconds is not None and time.monotonic() - started >= seconds:
                        raise TimedOut(f"recognition stopped after {seconds} s")
                    raise Failed(
                        "Tesseract gave up on the image (out of memory, or an image it cannot take)"
                    )
                found = lib.TessBaseAPIGetUTF8Text(handle)
                try:
                    text = ctypes.string_at(found).decode("utf-8") if found else ""
                finally:
                    if found:
                        lib.TessDeleteText(found)
                lib.TessBaseAPIClear(handle)
            finally:
                lib.TessMonitorDelete(monitor)
        return text


_ENGINES: dict[str, Engine | None] = {}
_STARTING = threading.Lock()


def engine(languages: str) -> Engine | None:
    """The engine for `languages` ("deu+eng"), started on first use and kept for the
    life of the process; None where the library cannot be loaded or started."""
    with _STARTING:
        if languages not in _ENGINES:
            _ENGINES[languages] = _start(languages)
        return _ENGINES[languages]


def _start(languages: str) -> Engine | None:
    lib = _library()
    if lib is None:
        return None
    handle = lib.TessBaseAPICreate()
    if not handle:
        return None
    # Tesseract's notes ("Estimating resolution as 300") would go to this process's
    # standard error, the user's terminal; the program's were captured and dropped.
    lib.TessBaseAPISetVariable(handle, b"debug_file", b"/dev/null")
    if lib.TessBaseAPIInit3(handle, None, languages.encode()) != 0:
        lib.TessBaseAPIDelete(handle)
        return None
    lib.TessBaseAPISetPageSegMode(handle, _PSM_AUTO)
    return Engine(lib, handle)


def version() -> str | None:
    """The loaded library's version ("5.3.0"), None without it."""
    lib = _library()
    if lib is None:
        return None
    found: bytes = lib.TessVersion()
    return found.decode()
