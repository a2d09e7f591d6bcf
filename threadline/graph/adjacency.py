"""The adjacency view: the link graph as compact arrays (CSR), saved in the data directory.

It is derived from the store and can be dropped and rebuilt at any time. Nodes are
numbered in the byte order of their ids, so an id is found by bisection in the id table
without a dictionary of a million strings. Each edge has a source, a target, a type, a
[start, end] interval in days and a dataset combination; the CSR lists every edge under
both its ends, because a path may follow a link in either direction. Saved arrays are
opened memory-mapped, so a command starts without reading the graph into memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FORMAT = 1
Array = npt.NDArray[Any]
# The plain array fields, saved one .npy file each (id tables add a blob and offsets).
_FIELDS = ["node_schema", "node_combo", "edge_src", "edge_dst", "edge_type", "edge_start"]
_FIELDS += ["edge_end", "edge_combo", "indptr", "adj_nbr", "adj_edge"]
_TABLES = ["node_blob", "node_offsets", "edge_blob", "edge_offsets"]


@dataclass
class Meta:
    """What the arrays mean (name tables) and what they were built from."""

    fingerprint: str
    statements: int  # how many the build scanned
    schemas: list[str]
    types: list[str]
    datasets: list[str]
    # Dataset combinations: (every one needed?, dataset positions). Ordinary edges and
    # nodes need any one of theirs; a derived edge needs the datasets of both its facts.
    combos: list[tuple[bool, list[int]]]
    skipped_groups: int = 0
    format: int = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)


class IdTable:
    """Strings stored as one UTF-8 blob and offsets; sorted tables can be searched."""

    def __init__(self, blob: Array, offsets: Array) -> None:
        self.blob = blob
        self.offsets = offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def raw(self, i: int) -> bytes:
        """The UTF-8 bytes of string `i`."""
        return bytes(self.blob[int(self.offsets[i]) : int(self.offsets[i + 1])])

    def get(self, i: int) -> str:
        """String `i`."""
        return self.raw(i).decode("utf-8")

    def find(self, value: str) -> int | None:
        """The position of `value` in a table sorted by bytes, or None."""
        key = value.encode("utf-8")
        lo, hi = 0, len(self)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.raw(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(self) and self.raw(lo) == key else None

    @classmethod
    def build(cls, values: list[bytes]) -> IdTable:
        """A table of the given UTF-8 strings, in the given order."""
        lengths = np.fromiter((len(v) for v in values), dtype=np.int64, count=len(values))
        offsets = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        blob = np.frombuffer(b"".join(values), dtype=np.uint8)
        return cls(blob, offsets)


@dataclass
class Adjacency:
    """Nodes, edges and the CSR over both; positions are int32, days are int32."""

    meta: Meta
    nodes: IdTable
    node_schema: Array
    node_combo: Array
    edges: IdTable
    edge_src: Array
    edge_dst: Array
    edge_type: Array
    edge_start: Array
    edge_end: Array
    edge_combo: Array
    indptr: Array
    adj_nbr: Array
    adj_edge: Array

    @property
    def node_count(self) -> int:
        """How many nodes."""
        return len(self.nodes)

    @property
    def edge_count(self) -> int:
        """How many edges."""
        return len(self.edge_src)

    def incident(self, node: int) -> tuple[Array, Array]:
        """The neighbours of a node and the edges that lead to them."""
        lo, hi = int(self.indptr[node]), int(self.indptr[node + 1])
        return self.adj_nbr[lo:hi], self.adj_edge[lo:hi]

    def gather(self, frontier: Array) -> tuple[Array, Array, Array]:
        """For every node of `frontier` at once: (which frontier node, neighbour, edge)."""
        lo = self.indptr[frontier]
        counts = self.indptr[frontier + 1] - lo
        total = int(counts.sum())
        owner = np.repeat(np.arange(len(frontier)), counts)
        # Slot of output item j: its node's CSR start plus j's offset inside its run.
        out_start = np.cumsum(counts) - counts
        slots = np.repeat(lo - out_start, counts) + np.arange(total)
        return owner, self.adj_nbr[slots], self.adj_edge[slots]

    def save(self, folder: Path) -> None:
        """Write to `folder`, replacing what is there only once everything is written."""
        tmp = folder.with_name(f"{folder.name}.new-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name, array in self._arrays().items():
            np.save(tmp / f"{name}.npy", array, allow_pickle=False)
        (tmp / "meta.json").write_text(json.dumps(asdict(self.meta)), encoding="utf-8")
        old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
        # Absent on the first build, or when another process has just moved it away.
        with contextlib.suppress(FileNotFoundError):
            folder.rename(old)
        try:
            tmp.rename(folder)
        except OSError:  # another process put its (equally fresh) build there first
            shutil.rmtree(tmp, ignore_errors=True)
        # Open memory maps of the old files stay valid after the unlink (POSIX).
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> Adjacency | None:
        """The saved view in `folder`, memory-mapped; None if absent or of another format."""
        try:
            data = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return None
            data["combos"] = [(bool(a), list(ds)) for a, ds in data["combos"]]
            arrays = {n: np.load(folder / f"{n}.npy", mmap_mode="r") for n in _FIELDS + _TABLES}
        except (OSError, ValueError, KeyError):
            return None
        return cls(
            meta=Meta(**data),
            nodes=IdTable(arrays.pop("node_blob"), arrays.pop("node_offsets")),
            edges=IdTable(arrays.pop("edge_blob"), arrays.pop("edge_offsets")),
            **arrays,
        )

    def _arrays(self) -> dict[str, Array]:
        arrays: dict[str, Array] = {n: getattr(self, n) for n in _FIELDS}
        arrays.update(node_blob=self.nodes.blob, node_offsets=self.nodes.offsets)
        arrays.update(edge_blob=self.edges.blob, edge_offsets=self.edges.offsets)
        return arrays
