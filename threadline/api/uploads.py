"""Uploaded files on their way to ingest: saved under a safe name, bounded in size,
and a mapping confined to the files uploaded with it.

An FtM mapping names its CSV files (`csv_url`), relative to the YAML. From a server's
client that could read any file the server can (`/etc/passwd`, the store itself), so
every upload is ingested confined to its own upload folder (`ingest.confine`), and a
mapping is checked with that same confinement before its job starts.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import IO

from threadline.errors import InputError
from threadline.ingest.confine import Confinement
from threadline.ingest.mapping import load_mapping

MAX_UPLOAD_BYTES = 2 << 30
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class UploadTooLarge(InputError):
    """An upload over MAX_UPLOAD_BYTES."""


def safe_name(name: str | None, default: str) -> str:
    """A file name without folders or odd characters, keeping its suffix."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip(" .")[:120]
    return cleaned or default


def save(upload: IO[bytes], folder: Path, name: str, limit: int = MAX_UPLOAD_BYTES) -> Path:
    """Copy an upload into `folder` under `name`, refusing more than `limit` bytes."""
    target = folder / name
    written = 0
    with target.open("wb") as out:
        while chunk := upload.read(1 << 20):
            written += len(chunk)
            if written > limit:
                raise UploadTooLarge(name, f"is larger than {limit >> 20} MiB")
            out.write(chunk)
    return target


def check_mapping(mapping: Path, data_dir: Path) -> None:
    """Check an uploaded mapping before its job starts, with the parser and confinement
    ingest itself applies: every file it names must be one uploaded with it."""
    try:
        load_mapping(mapping, None, Confinement.of(mapping.parent, data_dir))
    except InputError as exc:
        # Named by its upload name: the client has no business with the server's folders.
        raise type(exc)(mapping.name, exc.message, exc.line) from None


def remove(folder: Path) -> None:
    """Delete an upload folder and everything in it."""
    shutil.rmtree(folder, ignore_errors=True)
