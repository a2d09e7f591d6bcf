"""What an entity means for the graph, read from followthemoney's schema, not hard-coded.

An entity of an edge schema (Ownership, Directorship, Payment...; `schema.edge`) becomes
one edge per (source, target) pair of its `edge_source` and `edge_target` properties,
typed by its schema and identified by its own id. Any other entity is a node, and each
of its entity-typed property values becomes an edge typed by the property's name
(`addressEntity`, a Contract's `authority`). Dates come from the schema's temporal
properties. Node entities also yield keys for derived edges: normalised addresses and
identifiers that other entities may share.

This runs once per entity of the store on every build, so it reads each statement once
and keeps what it needs of a schema in a cached `_Reading`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from followthemoney.schema import Schema
from rigour.addresses import normalize_address

from threadline.graph.interval import OPEN_END, OPEN_START, interval
from threadline.model.schema import get_schema, merged_schema

# One statement as the store's graph scan returns it.
Row = tuple[str, ...]  # entity_id, schema, prop, prop_type, value, dataset
SCAN_TYPES = ("id", "entity", "date", "address", "identifier")

DERIVED_ADDRESS = "derived:address"
DERIVED_IDENTIFIER = "derived:identifier"
DERIVED_TYPES = (DERIVED_ADDRESS, DERIVED_IDENTIFIER)
_MIN_IDENTIFIER = 4  # shorter "identifiers" (1, A, 12) join strangers
# followthemoney does not mark `Mention` as an edge, yet it links two entities: the one
# named (`resolved`) and the document naming it. Read as an edge from the one to the
# other, typed by its label, so the graph shows "mentioned in" (threadline.mentions).
MENTIONED_IN = "mentioned in"
_LINKING = {"Mention": ("resolved", "document", MENTIONED_IN)}
_NOT_ALNUM = re.compile(r"[\W_]+")


class EdgeSpec(NamedTuple):
    """One edge as an entity states it, before ids become array positions."""

    source: str
    target: str
    type: str
    id: str
    start: int
    end: int
    datasets: frozenset[str]


@dataclass
class EntityLinks:
    """An entity's part in the graph: a node (with edges it states) or an edge entity."""

    id: str
    schema: Schema
    datasets: frozenset[str]
    is_edge: bool
    edges: list[EdgeSpec] = field(default_factory=list)
    keys: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, key, dataset)


def reference_edge_id(source: str, prop: str, target: str) -> str:
    """The id of the edge an entity-typed property value makes (FtM graph's form)."""
    return f"{source}<{prop}>{target}"


@dataclass(frozen=True)
class _Reading:
    """What of a schema matters here: its edge ends, temporal and reference properties."""

    schema: Schema
    source: str | None
    target: str | None
    kind: str  # the type of the edges it makes, if it is an edge
    starts: frozenset[str]
    ends: frozenset[str]
    references: frozenset[str]
    keys_address: bool


@lru_cache(maxsize=512)
def _reading(schema: Schema) -> _Reading:
    props = schema.properties.values()
    source = schema.source_prop.name if schema.edge and schema.source_prop else None
    target = schema.target_prop.name if schema.edge and schema.target_prop else None
    kind = schema.name
    if schema.name in _LINKING:
        source, target, kind = _LINKING[schema.name]
    return _Reading(
        schema=schema,
        source=source,
        target=target,
        kind=kind,
        starts=frozenset(p.name for p in schema.temporal_start_props),
        ends=frozenset(p.name for p in schema.temporal_end_props),
        references=frozenset(p.name for p in props if p.type.name == "entity" and not p.stub),
        # An Address entity *is* the address; entities reach it by addressEntity.
        keys_address=not schema.is_a("Address"),
    )


def _schema_of(rows: Sequence[Row]) -> Schema:
    first = rows[0][1]
    if all(r[1] == first for r in rows):
        return get_schema(first)
    return merged_schema({r[1] for r in rows})


def entity_links(rows: Sequence[Row]) -> EntityLinks:
    """Read one entity's scanned statements (all of one id) into its graph part."""
    entity_id = rows[0][0]
    read = _reading(_schema_of(rows))
    datasets: set[str] = set()
    dates: list[tuple[str, str]] = []
    sources: set[str] = set()
    targets: set[str] = set()
    refs: dict[tuple[str, str], set[str]] = {}
    keys: list[tuple[str, str, str]] = []
    for _, _, prop, prop_type, value, dataset in rows:
        datasets.add(dataset)
        if prop_type == "id":
            continue
        if prop_type == "date":
            if prop in read.starts or prop in read.ends:
                dates.append((prop, value))
        elif prop == read.source:
            sources.add(value)
        elif prop == read.target:
            targets.add(value)
        elif prop_type == "entity":
            if prop in read.references and read.source is None:
                refs.setdefault((prop, value), set()).add(dataset)
        elif read.source is not None:
            continue
        elif prop_type == "address":
            if read.keys_address and (key := normalize_address(value)):
                keys.append((DERIVED_ADDRESS, key, dataset))
        elif prop_type == "identifier":
            key = _NOT_ALNUM.sub("", value).upper()
            if len(key) >= _MIN_IDENTIFIER:
                keys.append((DERIVED_IDENTIFIER, key, dataset))
    lo, hi = _dates(read, dates)
    seen_in = frozenset(datasets)
    links = EntityLinks(entity_id, read.schema, seen_in, read.source is not None, keys=keys)
    kind = read.kind
    for s in sorted(sources):
        for t in sorted(targets):
            links.edges.append(EdgeSpec(s, t, kind, entity_id, lo, hi, seen_in))
    for (prop, value), stated in sorted(refs.items()):
        edge_id = reference_edge_id(entity_id, prop, value)
        links.edges.append(EdgeSpec(entity_id, value, prop, edge_id, lo, hi, frozenset(stated)))
    return links


def _dates(read: _Reading, dates: list[tuple[str, str]]) -> tuple[int, int]:
    if not dates:
        return OPEN_START, OPEN_END
    starts = [v for p, v in dates if p in read.starts and p != "date"]
    ends = [v for p, v in dates if p in read.ends]
    points = [v for p, v in dates if p == "date" and p in read.starts]
    return interval(starts, ends, points)
