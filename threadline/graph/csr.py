"""The last step of a build: drop what is not a node, number nodes by id, make the CSR."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from threadline.graph.adjacency import Adjacency, Array, IdTable, Meta

if TYPE_CHECKING:
    from threadline.graph.build import Builder

STUB_SCHEMA = "Thing"  # a node known only because something points at it


def _edge_entity_nodes(builder: Builder) -> Array:
    """Positions of would-be nodes that are in fact edge entities (a reference to an
    Ownership, say): they are links, not things, and links to them are dropped."""
    hashes = np.sort(np.frombuffer(builder.edge_entities, dtype=np.int64))
    drop = np.zeros(len(builder.ids), dtype=bool)
    for at, schema in enumerate(builder.schema):
        if schema is None and len(hashes):
            h = hash(builder.ids[at])
            pos = int(np.searchsorted(hashes, h))
            drop[at] = pos < len(hashes) and int(hashes[pos]) == h
    return drop


def assemble(builder: Builder, meta: Meta) -> Adjacency:
    """The finished adjacency view of everything the builder took in."""
    names = builder.names
    n = len(builder.ids)
    drop = _edge_entity_nodes(builder)
    src = np.frombuffer(builder.src, dtype=np.int32)
    dst = np.frombuffer(builder.dst, dtype=np.int32)
    keep = ~(drop[src] | drop[dst])
    # A node nothing in the store describes is visible where the links to it are.
    node_combo = np.frombuffer(builder.node_combo, dtype=np.int32).copy()
    edge_combo = np.frombuffer(builder.combo, dtype=np.int32)
    stubs = np.array([s is None for s in builder.schema], dtype=bool) & ~drop
    if stubs.any():
        touching = np.flatnonzero(keep & (stubs[src] | stubs[dst]))
        for e in touching.tolist():
            for end in (int(src[e]), int(dst[e])):
                if stubs[end]:
                    node_combo[end] = names.union(int(node_combo[end]), int(edge_combo[e]))
    kept = np.flatnonzero(~drop)
    encoded = [builder.ids[i].encode("utf-8") for i in kept.tolist()]
    order = sorted(range(len(encoded)), key=encoded.__getitem__)
    old_of_new = kept[np.array(order, dtype=np.int64)] if order else kept
    new_of_old = np.full(n, -1, dtype=np.int32)
    new_of_old[old_of_new] = np.arange(len(old_of_new), dtype=np.int32)
    schemas = sorted({s or STUB_SCHEMA for s in builder.schema})
    schema_pos = {s: i for i, s in enumerate(schemas)}
    node_schema = np.array(
        [schema_pos[builder.schema[i] or STUB_SCHEMA] for i in old_of_new.tolist()],
        dtype=np.int16,
    )
    edges = np.flatnonzero(keep)
    e_src, e_dst = new_of_old[src[edges]], new_of_old[dst[edges]]
    meta.schemas = schemas
    meta.types = sorted(names.types, key=names.types.__getitem__)
    meta.datasets = sorted(names.datasets, key=names.datasets.__getitem__)
    meta.combos = [(every, list(ds)) for every, ds in names.combo_list]
    indptr, adj_nbr, adj_edge = _csr(len(old_of_new), e_src, e_dst)
    return Adjacency(
        meta=meta,
        nodes=IdTable.build([encoded[i] for i in order]),
        node_schema=node_schema,
        node_combo=node_combo[old_of_new],
        edges=_edge_ids(builder, keep),
        edge_src=e_src,
        edge_dst=e_dst,
        edge_type=np.frombuffer(builder.type, dtype=np.int32)[edges].astype(np.int16),
        edge_start=np.frombuffer(builder.start, dtype=np.int32)[edges],
        edge_end=np.frombuffer(builder.end, dtype=np.int32)[edges],
        edge_combo=edge_combo[edges],
        indptr=indptr,
        adj_nbr=adj_nbr,
        adj_edge=adj_edge,
    )


def _edge_ids(builder: Builder, keep: Array) -> IdTable:
    """The ids of the kept edges, cut out of the builder's blob without a copy per id."""
    blob = np.frombuffer(builder.edge_blob, dtype=np.uint8)
    ends = np.frombuffer(builder.edge_ends, dtype=np.int64)
    lengths = np.diff(ends, prepend=0)
    if not keep.all():
        blob = blob[np.repeat(keep, lengths)]
        lengths = lengths[keep]
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return IdTable(blob, offsets)


def _csr(n: int, src: Array, dst: Array) -> tuple[Array, Array, Array]:
    """Every edge listed under both its ends, grouped by node, in edge order."""
    ends = np.concatenate((src, dst))
    others = np.concatenate((dst, src))
    edge = np.concatenate((np.arange(len(src)), np.arange(len(src)))).astype(np.int32)
    order = np.argsort(ends, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(ends, minlength=n), out=indptr[1:])
    return indptr, others[order].astype(np.int32), edge[order]
