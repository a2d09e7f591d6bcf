"""Derived edges: entities that state the same address or identifier, linked as such.

They are inferred, not stated by any source, so their types say so (`derived:address`,
`derived:identifier`) and they are weak in the ranking. A key shared by more than
`max_group` entities (a city given as an address, a mass-registration address) would
join strangers into a clique, so such groups are skipped and counted instead.

Such an edge rests on two facts, one per end; each end's fact may come from another
dataset, so the edge records both and is only visible to whoever can read both.
"""

from __future__ import annotations

from array import array

import numpy as np

Pair = tuple[int, int, int, int, int]  # node a, node b, kind, dataset of a, dataset of b


class KeyTable:
    """The keys nodes state, as 64-bit hashes in compact arrays (one row per statement)."""

    def __init__(self) -> None:
        self.hash = array("q")
        self.kind = array("i")
        self.node = array("i")
        self.dataset = array("i")

    def add(self, kind: int, key: str, node: int, dataset: int) -> None:
        """Record that `node` states `key` (of `kind`) in `dataset`."""
        self.hash.append(hash((kind, key)))
        self.kind.append(kind)
        self.node.append(node)
        self.dataset.append(dataset)

    def __len__(self) -> int:
        return len(self.hash)


def derived_pairs(keys: KeyTable, max_group: int) -> tuple[list[Pair], int]:
    """Every pair of nodes sharing a key, once per kind; and the number of groups skipped."""
    if len(keys) < 2:
        return [], 0
    hashes = np.frombuffer(keys.hash, dtype=np.int64)
    nodes = np.frombuffer(keys.node, dtype=np.int32)
    order = np.lexsort((nodes, hashes))
    ordered = hashes[order]
    cuts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    starts = np.concatenate(([0], cuts))
    ends = np.concatenate((cuts, [len(ordered)]))
    shared = (ends - starts) >= 2
    pairs: list[Pair] = []
    seen: set[tuple[int, int, int]] = set()
    skipped = 0
    for lo, hi in zip(starts[shared].tolist(), ends[shared].tolist(), strict=True):
        rows = order[lo:hi].tolist()
        kind = keys.kind[rows[0]]
        first_dataset: dict[int, int] = {}
        for row in rows:
            node, dataset = keys.node[row], keys.dataset[row]
            first_dataset[node] = min(first_dataset.get(node, dataset), dataset)
        if len(first_dataset) < 2:
            continue
        if len(first_dataset) > max_group:
            skipped += 1
            continue
        members = sorted(first_dataset.items())
        for i, (a, ds_a) in enumerate(members):
            for b, ds_b in members[i + 1 :]:
                if (a, b, kind) not in seen:
                    seen.add((a, b, kind))
                    pairs.append((a, b, kind, ds_a, ds_b))
    return pairs, skipped
