"""Index documents: what of an entity the search index needs, derived from its statements."""

from __future__ import annotations

from dataclasses import dataclass

from followthemoney.types import registry

from threadline.model.entity import Entity
from threadline.model.schema import schema_family
from threadline.search.text import grams, name_tokens, tokens

# Values that are ids or machine codes add noise to full text.
_SKIP_TYPES = {registry.entity.name, registry.checksum.name, registry.mimetype.name}
# Names of *other* entities copied onto edges (a Payment mentions its payer's name):
# searchable as text, but they are not this entity's names.
_NOT_OWN_NAMES = {"namesMentioned"}


@dataclass(frozen=True)
class IndexDocument:
    """One entity as the index sees it: folded tokens for matching, originals for display."""

    id: str
    schema: str
    schemata: list[str]
    caption: str
    datasets: list[str]
    countries: list[str]
    names: list[str]
    values: list[str]
    name_text: str
    name_grams: str
    full_text: str


def make_document(entity: Entity) -> IndexDocument:
    """Build the index document of an assembled entity."""
    proxy = entity.proxy
    schema = proxy.schema
    names: list[str] = []
    values: list[str] = []
    countries: set[str] = set()
    for prop, value in proxy.itervalues():
        if prop.type.name in _SKIP_TYPES:
            continue
        if prop.type == registry.name and prop.name not in _NOT_OWN_NAMES:
            names.append(value)
        elif prop.type == registry.country:
            countries.add(value)
        values.append(value)
    names = sorted(set(names))
    name_terms = [t for name in names for t in name_tokens(name)]
    name_text = " ".join(name_terms)
    name_grams = " ".join(g for t in dict.fromkeys(name_terms) for g in grams(t))
    full_text = " ".join(t for value in sorted(set(values)) for t in tokens(value))
    return IndexDocument(
        id=entity.id,
        schema=schema.name,
        schemata=schema_family(schema),
        caption=proxy.caption,
        datasets=entity.datasets,
        countries=sorted(countries),
        names=names,
        values=sorted(set(values) - set(names)),
        name_text=name_text,
        name_grams=name_grams,
        full_text=full_text,
    )
