"""An entity's direct links: edge entities that point at it, and references it makes."""

from __future__ import annotations

from collections.abc import Callable, Collection

from threadline.model.entity import Entity
from threadline.model.relationship import Endpoint, Reference, Relationship

Loader = Callable[[Collection[str]], dict[str, Entity]]


def _entity_refs(entity: Entity) -> list[tuple[str, str]]:
    proxy = entity.proxy
    return [(prop.name, value) for prop, value in proxy.itervalues() if prop.type.name == "entity"]


def _details(entity: Entity) -> str:
    """The link's own facts worth a glance: its featured values that are not entities
    (role, relationship, percentage, dates, amount), as followthemoney's schema lists them."""
    proxy = entity.proxy
    parts = []
    for name in proxy.schema.featured:
        prop = proxy.schema.properties[name]
        if prop.type.name == "entity":
            continue
        parts.extend(proxy.get(prop))
    return ", ".join(parts)


def direct_links(
    entity: Entity, references: list[Reference], load: Loader, own: Collection[str] = ()
) -> list[Relationship]:
    """Incoming links (with the other ends of edge entities) and outgoing references.

    `own` are the ids of the records merged into the entity: an edge that names one of
    them names the entity itself, which is never its own other end.
    """
    itself = {entity.id, *own}
    incoming = references
    linking = load({r.entity_id for r in incoming})
    outgoing = _entity_refs(entity)
    far_ids = {v for e in linking.values() for _, v in _entity_refs(e) if v not in itself}
    far_ids.update(v for _, v in outgoing)
    far = load(far_ids)
    # A link's caption names its ends: this entity and the far ones, already loaded.
    ends = {i: entity.caption for i in itself} | {i: e.caption for i, e in far.items()}
    links: list[Relationship] = []
    for ref in incoming:
        other = linking.get(ref.entity_id)
        if other is None:
            continue
        others = [
            Endpoint(v, far[v].schema.name, far[v].caption, p)
            for p, v in _entity_refs(other)
            if v not in itself and v in far
        ]
        caption = other.caption_with(ends)
        links.append(
            Relationship(
                "in", ref.prop, other.id, other.schema.name, caption, others, _details(other)
            )
        )
    for prop, value in outgoing:
        target = far.get(value)
        if target is None:
            links.append(Relationship("out", prop, value, "", "(not in the store)"))
            continue
        links.append(Relationship("out", prop, value, target.schema.name, target.caption))
    return links
