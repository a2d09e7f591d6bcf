"""Source files: existence, content hash, encoding, and bounded line reading."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from threadline.errors import InputError

SAMPLE_BYTES = 1 << 20
CHUNK_BYTES = 1 << 20
# Longest line (or CSV record) we will hold in memory; longer lines are refused.
MAX_LINE_BYTES = 64 << 20

ErrorSink = Callable[[InputError], None]


@dataclass(frozen=True)
class SourceFile:
    """A file about to be ingested, identified by the sha256 of its bytes."""

    path: Path
    sha256: str
    size: int
    encoding: str

    @property
    def name(self) -> str:
        """The file name recorded as provenance."""
        return self.path.name


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def detect_encoding(path: Path, sample: bytes) -> str:
    """UTF-8 if the sample decodes as such, else a confident guess, else a clear error."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample).best()
    if best is None or best.encoding is None:
        raise InputError(
            path, "is not UTF-8 and its encoding could not be detected; convert it to UTF-8"
        )
    return str(best.encoding)


def open_source(path: Path, binary: bool = False) -> SourceFile:
    """Check a path is a readable, non-empty file and describe it."""
    if not path.exists():
        raise InputError(path, "no such file")
    if not path.is_file():
        raise InputError(path, "is not a file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "is empty")
    encoding = "binary"
    if not binary:
        with path.open("rb") as fh:
            encoding = detect_encoding(path, fh.read(SAMPLE_BYTES))
    return SourceFile(path=path, sha256=_sha256(path), size=size, encoding=encoding)


def iter_lines(
    source: SourceFile,
    on_error: ErrorSink | None = None,
    max_line_bytes: int = MAX_LINE_BYTES,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, str]]:
    """Yield (line number, text with its newline), never holding more than one line.

    A line longer than `max_line_bytes` raises, or with `on_error` is reported and
    skipped without being read into memory.
    """
    decoder_name = source.encoding
    number = 0
    buffer = bytearray()
    skipping = False
    with source.path.open("rb") as fh:
        while True:
            chunk = fh.read(CHUNK_BYTES)
            if on_bytes is not None and chunk:
                on_bytes(len(chunk))
            if not chunk:
                break
            start = 0
            while True:
                end = chunk.find(b"\n", start)
                if end == -1:
                    if not skipping:
                        buffer += chunk[start:]
                        if len(buffer) > max_line_bytes:
                            buffer.clear()
                            skipping = True
                            error = InputError(
                                source.path,
                                f"line is longer than {max_line_bytes} bytes; refusing to load it",
                                number + 1,
                            )
                            if on_error is None:
                                raise error
                            on_error(error)
                    break
                number += 1
                if skipping:
                    skipping = False
                else:
                    buffer += chunk[start : end + 1]
                    text = _decode(source, buffer, number, decoder_name, on_error)
                    if text is not None:
                        yield number, text
                buffer.clear()
                start = end + 1
    if buffer and not skipping:
        number += 1
        text = _decode(source, buffer, number, decoder_name, on_error)
        if text is not None:
            yield number, text


def _decode(
    source: SourceFile,
    data: bytearray,
    number: int,
    encoding: str,
    on_error: ErrorSink | None,
) -> str | None:
    if number > 1:
        encoding = encoding.replace("-sig", "")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        error = InputError(
            source.path,
            f"is not valid {source.encoding} at byte {exc.start} of the line: {exc.reason}",
            number,
        )
        if on_error is None:
            raise error from None
        on_error(error)
        return None
