"""Source files: existence, content hash, encoding, and bounded line reading."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from threadline.errors import InputError

SAMPLE_BYTES = 1 << 20
CHUNK_BYTES = 1 << 20
# Longest line (or CSV record) we will hold in memory; longer lines are refused.
MAX_LINE_BYTES = 64 << 20
# Non-letters that Western text in cp1252 really contains: quotes, dashes, currency,
# degree, ordinals... (given as cp1252 bytes; ruff flags the look-alike characters).
# Left out on purpose: ³ ¹ ¥ ¯ and the like, which is what Polish text read as cp1252 shows.
_WESTERN_MARKS = set(
    bytes.fromhex(
        "a0 80 82 84 85 86 87 89 8b 9b 91 92 93 94 95 96 97 99"
        " a1 a2 a3 a7 a9 ab ae b0 b1 b7 bb bf d7 f7 aa ba"
    ).decode("cp1252")
)

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
    if _reads_as_cp1252(sample):
        return "cp1252"
    best = from_bytes(sample).best()
    if best is None or best.encoding is None:
        raise InputError(
            path, "is not UTF-8 and its encoding could not be detected; convert it to UTF-8"
        )
    return str(best.encoding)


def _reads_as_cp1252(sample: bytes) -> bool:
    """Whether the sample is plausibly Western European text in cp1252 (or Latin-1).

    charset_normalizer often names cp1250 or mac_latin2 for short German or French
    files, which turns "Müller" into "MŁller" or "Lefèvre" into "Lefčvr". cp1252 is by
    far the most common legacy encoding of such files, so we take it when the decoded
    text looks right: no control characters, every other non-ASCII character a Latin
    letter or common punctuation, and accented letters a minority (Cyrillic or Greek
    read as cp1252 is almost all accented letters).
    """
    try:
        counts = Counter(sample.decode("cp1252"))
    except UnicodeDecodeError:
        return False
    letters = accented = 0
    for char, count in counts.items():
        if char.isascii():
            if not char.isprintable() and char not in "\t\r\n\f":
                return False
            letters += count if char.isalpha() else 0
        elif char in _WESTERN_MARKS:
            continue
        elif char.isalpha() and unicodedata.name(char, "").startswith("LATIN"):
            letters += count
            accented += count
        else:
            return False
    return 0 < accented * 3 < letters


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
