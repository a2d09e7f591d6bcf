"""Generates the synthetic demo investigation: five sources written into one directory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Final

from threadline.demo.build import build_world
from threadline.demo.documents import write_documents
from threadline.demo.donations import write_donations
from threadline.demo.leak import write_leak
from threadline.demo.procurement import write_procurement
from threadline.demo.registry import write_registry
from threadline.demo.world import World

Writer = Callable[[World, Path, Random], tuple[Path, ...]]


@dataclass(frozen=True)
class DemoSource:
    """One generated source: the files to ingest under a dataset name, and what it is."""

    dataset: str
    paths: tuple[Path, ...]
    title: str


_SOURCES: Final[tuple[tuple[str, str, Writer], ...]] = (
    (
        "registry",
        "Company registry extract: companies, officers, shareholders (CSV + mapping)",
        write_registry,
    ),
    (
        "procurement",
        "Public procurement awards, authority staff and declared relatives (CSV + mapping)",
        write_procurement,
    ),
    ("donations", "Political party donations (CSV + mapping)", write_donations),
    (
        "leak",
        "Leaked corporate-services ledger: payments and ownership (FtM JSON lines)",
        write_leak,
    ),
    (
        "correspondence",
        "Seized correspondence: an e-mail thread, an invoice (PDF), a scanned certificate "
        "(PNG, read by OCR when Tesseract is installed)",
        write_documents,
    ),
)


def generate(out_dir: Path, seed: int = 7, scale: float = 1.0) -> list[DemoSource]:
    """Write the demo sources into out_dir; the same seed and scale give identical bytes."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, not {scale!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = build_world(seed, scale)
    sources: list[DemoSource] = []
    for dataset, title, write in _SOURCES:
        # Each source draws its noise from its own stream, so sources stay independent.
        paths = write(world, out_dir, Random(f"{seed}:{scale}:{dataset}"))
        sources.append(DemoSource(dataset=dataset, paths=paths, title=title))
    return sources
