"""Relationships: the links between an entity and the entities that point at it or it at them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reference:
    """A statement of another entity whose entity-typed value points at an entity."""

    entity_id: str
    schema: str
    prop: str


@dataclass(frozen=True)
class Endpoint:
    """An entity at the other end of a link."""

    id: str
    schema: str
    caption: str
    prop: str


@dataclass(frozen=True)
class Relationship:
    """One link: an edge entity (Ownership, Payment...) or a direct reference."""

    direction: str  # "in": the other entity points here; "out": this entity points there
    prop: str
    id: str
    schema: str
    caption: str
    others: list[Endpoint] = field(default_factory=list)
    details: str = ""
