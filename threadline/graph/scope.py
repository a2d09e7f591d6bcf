"""What a query may see: link types, a time window, and the datasets the caller can read.

`Scope` is the neutral description; `Visibility` compiles it against one adjacency view
into small lookup arrays, so that every traversal step filters a whole slice of edges
with a few numpy operations. A traversal never enters a node or follows an edge that is
not visible: an edge is visible when its type is allowed, its interval overlaps the
window, its datasets are readable, and the node it leads to is readable too.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TypedDict

import numpy as np
from followthemoney import model

from threadline.errors import NotFoundError
from threadline.graph.adjacency import Adjacency, Array
from threadline.graph.interval import TimeWindow
from threadline.graph.semantics import DERIVED_TYPES

When = date | str


class Filters(TypedDict, total=False):
    """The filters every graph query takes, by the names the CLI's flags have."""

    types: Collection[str] | None
    at: When | None
    between: tuple[When, When] | None
    datasets: Collection[str] | None
    derived: bool


@dataclass(frozen=True)
class Scope:
    """The filters of one query; None means no limit of that kind."""

    types: frozenset[str] | None = None
    window: TimeWindow | None = None
    datasets: frozenset[str] | None = None
    derived: bool = True

    @classmethod
    def of(
        cls,
        types: Collection[str] | None = None,
        window: TimeWindow | None = None,
        datasets: Collection[str] | None = None,
        derived: bool = True,
    ) -> Scope:
        """A scope from plain collections, checking that every type name exists."""
        if types is not None:
            unknown = sorted(set(types) - known_types())
            if unknown:
                raise ValueError(
                    f"Unknown link type(s): {', '.join(unknown)}; use edge schemata "
                    "(Ownership, Directorship...), entity properties (addressEntity...) "
                    f"or {', '.join(DERIVED_TYPES)}"
                )
        return cls(
            None if types is None else frozenset(types),
            window,
            None if datasets is None else frozenset(datasets),
            derived,
        )


@lru_cache(maxsize=1)
def known_types() -> frozenset[str]:
    """Every link type the model can produce: edge schemata, entity properties, derived."""
    names = set(DERIVED_TYPES)
    for schema in model.schemata.values():
        if schema.edge:
            names.add(schema.name)
        names.update(p.name for p in schema.properties.values() if p.type.name == "entity")
    return frozenset(names)


class Visibility:
    """A scope compiled against one adjacency view."""

    def __init__(self, adj: Adjacency, scope: Scope) -> None:
        self.adj = adj
        self.scope = scope
        meta = adj.meta
        types = np.array(
            [
                (scope.types is None or t in scope.types)
                and (scope.derived or t not in DERIVED_TYPES)
                for t in meta.types
            ],
            dtype=bool,
        )
        self.type_ok: Array | None = None if types.all() else types
        self.combo_ok: Array | None = None
        if scope.datasets is not None:
            readable = {i for i, d in enumerate(meta.datasets) if d in scope.datasets}
            self.combo_ok = np.array(
                [
                    all(d in readable for d in ds) if every else any(d in readable for d in ds)
                    for every, ds in meta.combos
                ],
                dtype=bool,
            )
        self.window = scope.window
        self.filtered = (
            self.type_ok is not None or self.combo_ok is not None or self.window is not None
        )

    def node_visible(self, node: int) -> bool:
        """Whether the caller may see this node."""
        return self.combo_ok is None or bool(self.combo_ok[self.adj.node_combo[node]])

    def nodes_visible(self, nodes: Array) -> Array:
        """The visibility of many nodes at once."""
        if self.combo_ok is None:
            return np.ones(len(nodes), dtype=bool)
        return self.combo_ok[self.adj.node_combo[nodes]]

    def members(self, dataset: str | None) -> Array:
        """Positions of the visible nodes, only those `dataset` describes if given."""
        adj = self.adj
        inside = self.nodes_visible(np.arange(adj.node_count))
        if dataset is not None:
            if dataset not in adj.meta.datasets:
                raise NotFoundError(f"No dataset named {dataset!r} in the link graph")
            at = adj.meta.datasets.index(dataset)
            has = np.array([at in ds for _, ds in adj.meta.combos], dtype=bool)
            inside &= has[adj.node_combo]
        return np.flatnonzero(inside)

    def steps(self, nbrs: Array, edges: Array) -> Array | None:
        """Which (edge, neighbour) steps are visible; None when all are."""
        if not self.filtered:
            return None
        adj = self.adj
        ok = np.ones(len(edges), dtype=bool)
        if self.type_ok is not None:
            ok &= self.type_ok[adj.edge_type[edges]]
        if self.window is not None:
            ok &= adj.edge_start[edges] <= self.window.end
            ok &= adj.edge_end[edges] >= self.window.start
        if self.combo_ok is not None:
            ok &= self.combo_ok[adj.edge_combo[edges]]
            ok &= self.combo_ok[adj.node_combo[nbrs]]
        return ok

    def edge_datasets(self, edge: int) -> list[str]:
        """The readable datasets that state an edge."""
        return self._datasets(int(self.adj.edge_combo[edge]))

    def node_datasets(self, node: int) -> list[str]:
        """The readable datasets that describe a node."""
        return self._datasets(int(self.adj.node_combo[node]))

    def _datasets(self, combo: int) -> list[str]:
        names = [self.adj.meta.datasets[d] for d in self.adj.meta.combos[combo][1]]
        allowed = self.scope.datasets
        return sorted(n for n in names if allowed is None or n in allowed)
