"""Building the adjacency view from a scan of the store's statements.

The scan gives every id, entity-typed, date, address and identifier statement in entity
id order (`Store.iter_values`). Each entity is read by `semantics.entity_links`; ids are
numbered as they are first seen, names (schemata, types, dataset sets) are interned into
small tables, and at the end nodes are renumbered in id order and the CSR is made with
numpy. A `canonical` function maps entity ids to the ids of the merged entities they
belong to (identity until resolution lands): nodes and edge ends go through it, so a
rebuild after new judgements gives the merged graph.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from itertools import groupby

from threadline.graph.adjacency import Adjacency, Meta
from threadline.graph.csr import assemble
from threadline.graph.derived import KeyTable, derived_pairs
from threadline.graph.interval import OPEN_END, OPEN_START
from threadline.graph.semantics import EntityLinks, Row, entity_links
from threadline.model.schema import merged_schema
from threadline.progress import NoProgress, Progress

Canonical = Callable[[str], str]


class _Names:
    """Interns names and dataset combinations into positions."""

    def __init__(self) -> None:
        self.types: dict[str, int] = {}
        self.datasets: dict[str, int] = {}
        self.combos: dict[tuple[bool, tuple[int, ...]], int] = {}
        self.combo_list: list[tuple[bool, tuple[int, ...]]] = []
        self.by_names: dict[frozenset[str], int] = {}
        self.empty = self.combo(False, ())

    def type(self, name: str) -> int:
        return self.types.setdefault(name, len(self.types))

    def dataset(self, name: str) -> int:
        return self.datasets.setdefault(name, len(self.datasets))

    def combo(self, every: bool, positions: Iterable[int]) -> int:
        key = (every, tuple(sorted(set(positions))))
        found = self.combos.get(key)
        if found is None:
            found = self.combos[key] = len(self.combo_list)
            self.combo_list.append(key)
        return found

    def combo_of(self, names: frozenset[str]) -> int:
        """The any-of combination of these dataset names (cached: called per entity)."""
        found = self.by_names.get(names)
        if found is None:
            found = self.by_names[names] = self.combo(False, (self.dataset(n) for n in names))
        return found

    def union(self, combo: int, other: int) -> int:
        """The combination of two (any-of) combinations' datasets together."""
        if combo == other or other == self.empty:
            return combo
        if combo == self.empty:
            return other
        return self.combo(False, self.combo_list[combo][1] + self.combo_list[other][1])


class Builder:
    """Accumulates nodes, edges and derived keys in compact arrays while scanning."""

    def __init__(self, canonical: Canonical | None = None) -> None:
        self.canonical = canonical
        self.names = _Names()
        self.index: dict[str, int] = {}
        self.ids: list[str] = []
        self.schema: list[str | None] = []  # None: not (yet) seen as a node entity
        self.node_combo = array("i")
        self.edge_entities = array("q")  # hashes of edge entities' ids
        self.src, self.dst, self.start, self.end = array("i"), array("i"), array("i"), array("i")
        self.type, self.combo = array("i"), array("i")
        # Edge ids as one UTF-8 blob and end offsets: millions of bytes objects would
        # cost five times the memory.
        self.edge_blob = bytearray()
        self.edge_ends = array("q")
        self.keys = KeyTable()
        self.empty = self.names.empty

    def _node(self, entity_id: str) -> int:
        if self.canonical is not None:
            entity_id = self.canonical(entity_id)
        found = self.index.get(entity_id)
        if found is None:
            found = self.index[entity_id] = len(self.ids)
            self.ids.append(entity_id)
            self.schema.append(None)
            self.node_combo.append(self.empty)
        return found

    def add(self, links: EntityLinks) -> None:
        """Take in one entity: a node with the edges it states, or an edge entity."""
        if links.is_edge:
            self.edge_entities.append(hash(links.id))
        else:
            at = self._node(links.id)
            known, name = self.schema[at], links.schema.name
            self.schema[at] = name if known is None else merged_schema((known, name)).name
            mine = self.names.combo_of(links.datasets)
            self.node_combo[at] = self.names.union(self.node_combo[at], mine)
            for kind, key, dataset in links.keys:
                self.keys.add(self.names.type(kind), key, at, self.names.dataset(dataset))
        for spec in links.edges:
            combo = self.names.combo_of(spec.datasets)
            src, dst = self._node(spec.source), self._node(spec.target)
            self._edge(src, dst, spec.type, spec.id, spec.start, spec.end, combo)

    def _edge(self, src: int, dst: int, kind: str, eid: str, lo: int, hi: int, combo: int) -> None:
        self.src.append(src)
        self.dst.append(dst)
        self.type.append(self.names.type(kind))
        self.start.append(lo)
        self.end.append(hi)
        self.combo.append(combo)
        self.edge_blob += eid.encode("utf-8")
        self.edge_ends.append(len(self.edge_blob))

    def add_derived(self, max_group: int) -> int:
        """Edges between nodes that share a key; returns how many groups were too big."""
        kinds = {v: k for k, v in self.names.types.items()}
        pairs, skipped = derived_pairs(self.keys, max_group)
        for a, b, kind, ds_a, ds_b in pairs:
            name = kinds[kind]
            first, second = sorted((self.ids[a], self.ids[b]))
            combo = self.names.combo(True, (ds_a, ds_b))
            self._edge(a, b, name, f"{name}:{first}<>{second}", OPEN_START, OPEN_END, combo)
        return skipped

    def finish(self, meta: Meta) -> Adjacency:
        """Drop references to edge entities, number nodes by id and make the CSR."""
        return assemble(self, meta)


def build_adjacency(
    rows: Iterable[Row],
    meta: Meta,
    *,
    canonical: Canonical | None = None,
    derived: bool = True,
    max_group: int = 20,
    progress: Progress | None = None,
) -> Adjacency:
    """The adjacency view of scanned statements (see `Store.iter_values`)."""
    progress = progress or NoProgress()
    builder = Builder(canonical)
    count = 0
    for _, group in groupby(rows, key=_first):
        statements = list(group)
        meta.statements += len(statements)
        builder.add(entity_links(statements))
        count += 1
        if count % 10_000 == 0:
            progress.advance(10_000)
    progress.advance(count % 10_000)
    if derived:
        meta.skipped_groups = builder.add_derived(max_group)
    return builder.finish(meta)


def _first(row: Row) -> str:
    return row[0]
