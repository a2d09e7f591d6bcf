"""Writes demo files byte-for-byte reproducibly: CSV tables, mapping YAML, entity JSON lines."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import orjson


def fmt_date(value: date | None, pattern: str) -> str:
    """A date in a source's own format, or an empty cell when it is unknown."""
    return value.strftime(pattern) if value is not None else ""


def fmt_amount(value: float | None) -> str:
    """A money amount with two decimals and a dot, as exports usually have."""
    return f"{value:.2f}" if value is not None else ""


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    """Write a UTF-8 CSV with a header row and Unix line endings."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def copy_mapping(name: str, out_dir: Path) -> Path:
    """Copy a mapping YAML shipped with the package next to the CSVs it reads."""
    source = resources.files("threadline.demo").joinpath("mappings", name)
    target = out_dir / name
    target.write_bytes(source.read_bytes())
    return target


def write_entities(path: Path, entities: Iterable[dict[str, Any]]) -> Path:
    """Write FtM entity dicts as JSON lines with sorted keys."""
    with path.open("wb") as fh:
        for entity in entities:
            fh.write(orjson.dumps(entity, option=orjson.OPT_SORT_KEYS))
            fh.write(b"\n")
    return path
