"""Uploaded files on their way to ingest: saved under a safe name, bounded in size,
and a mapping confined to the files uploaded with it.

An FtM mapping names its CSV files (`csv_url`), relative to the YAML, and ingest
opens whatever they name. From a server's client that would read any file the
server can (`/etc/passwd`, the store itself), so a mapping may only name files in
its own upload folder.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import yaml

from threadline.errors import InputError

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


def _named_files(data: Any) -> Iterator[str]:
    """Every csv_url and csv_urls value in a parsed mapping, wherever it is."""
    if not isinstance(data, dict):
        return
    for config in data.values():
        if not isinstance(config, dict):
            continue
        queries = config.get("queries", [config.get("query")])
        for query in queries if isinstance(queries, list) else [queries]:
            if not isinstance(query, dict):
                continue
            for key in ("csv_url", "csv_urls"):
                value = query.get(key)
                for item in value if isinstance(value, list) else [value]:
                    if item is not None:
                        yield str(item)


def confine_mapping(mapping: Path) -> None:
    """Refuse a mapping whose csv_url leaves its folder (or is a URL). A mapping that
    does not parse is left for ingest, which names the bad line."""
    folder = mapping.parent.resolve()
    try:
        data = yaml.safe_load(mapping.read_text(encoding="utf-8", errors="replace"))
    except yaml.YAMLError:
        return
    for named in _named_files(data):
        target = (folder / named).resolve()
        if "://" in named or target.parent != folder:
            raise InputError(
                mapping.name,
                f"csv_url {named!r} must name a file uploaded with the mapping "
                "(its file name, no folders)",
            )


def remove(folder: Path) -> None:
    """Delete an upload folder and everything in it."""
    shutil.rmtree(folder, ignore_errors=True)
