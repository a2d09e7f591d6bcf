"""Value cleaning for compiled mappings, done once per distinct value instead of per row.

A register repeats its values (countries, dates, party names), and followthemoney's
type cleaning (a country lookup, a date parse, name normalisation) costs far more
than a dict lookup. For the types whose `clean_text` depends only on the text, the
fuzzy flag and the format, the value is cleaned by followthemoney once and remembered;
the entity then gets it through `unsafe_add(..., cleaned=True)`, which keeps
followthemoney's size limit and de-duplication. The values are the same as
followthemoney's, so the statements (and their ids) are too.

Phone mappings (`ingest.phones`, which tries several formats) and entity references
(whose check reads the entity) keep followthemoney's own path.
"""

from __future__ import annotations

from followthemoney.helpers import inline_names
from followthemoney.mapping.entity import EntityMapping
from followthemoney.mapping.property import PropertyMapping
from followthemoney.mapping.query import QueryMapping
from followthemoney.property import Property
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from followthemoney.types.common import PropertyType
from followthemoney.util import sanitize_text

# Distinct values remembered per (type, fuzzy, format); cleared past it, for memory.
_LIMIT = 200_000
_IMPURE = (registry.phone, registry.entity)
_Key = tuple[PropertyType, bool, str | None]
_CACHES: dict[_Key, dict[str, str | None]] = {}
# Names inlined into namesMentioned (`_inline_names`), as they end up there.
_NAMES: dict[str, str | None] = {}


def clean(type_: PropertyType, text: str, fuzzy: bool, format: str | None) -> str | None:
    """followthemoney's `type_.clean_text(text, fuzzy, format)`, remembered."""
    key = (type_, fuzzy, format)
    cache = _CACHES.get(key)
    if cache is None:
        cache = _CACHES[key] = {}
    try:
        return cache[text]
    except KeyError:
        pass
    value = type_.clean_text(text, fuzzy=fuzzy, format=format)
    if len(cache) >= _LIMIT:
        cache.clear()
    cache[text] = value
    return value


def _inline_names(proxy: EntityProxy, related: EntityProxy) -> None:
    """followthemoney's `helpers.inline_names`, with the names' cleaning remembered."""
    prop = proxy.schema.get("namesMentioned")
    if prop is None:
        return
    if prop.type is not registry.name or prop.format is not None:  # not as `_NAMES` holds
        inline_names(proxy, related)
        return
    for name in related.get_type_values(registry.name):
        try:
            value = _NAMES[name]
        except KeyError:
            text = sanitize_text(name)  # as `proxy.add` does, through `string_list`
            value = clean(prop.type, text, False, prop.format) if text else None
            if len(_NAMES) >= _LIMIT:
                _NAMES.clear()
            _NAMES[name] = value
        if value is not None:
            proxy.unsafe_add(prop, value, cleaned=True)


class _Cached(PropertyMapping):
    """A property mapping whose values are cleaned through `clean`; otherwise
    followthemoney's `PropertyMapping.map`, step for step."""

    __slots__ = ()

    def map(
        self, proxy: EntityProxy, record: dict[str, str], entities: dict[str, EntityProxy]
    ) -> list[str]:
        prop: Property = self.prop
        if self.entity is not None:
            entity = entities.get(self.entity)
            if entity is not None:
                proxy.unsafe_add(prop, entity.id, cleaned=True)
                _inline_names(proxy, entity)
            return []
        values = self.record_values(record)
        if self.join is not None:
            values = [self.join.join(values)]
        if self.split is not None:
            values = [part for value in values for part in value.split(self.split)]
        type_, fuzzy, format = prop.type, self.fuzzy, self.format or prop.format
        discarded: list[str] = []
        for value in values:
            cleaned = clean(type_, value, fuzzy, format)
            if cleaned is None or proxy.unsafe_add(prop, cleaned, cleaned=True) is None:
                discarded.append(value)
        return discarded


def _cached(mapping: PropertyMapping) -> PropertyMapping:
    # PropertyMapping has __slots__ and no copy constructor: copy the slots over.
    cached = object.__new__(_Cached)
    for slot in PropertyMapping.__slots__:
        setattr(cached, slot, getattr(mapping, slot))
    return cached


def _plain(prop: PropertyMapping) -> bool:
    # Exactly followthemoney's class: a subclass (a hinted phone) keeps its own map. A
    # reference to another mapped entity cleans nothing but the names it inlines.
    if type(prop) is not PropertyMapping:
        return False
    return prop.entity is not None or prop.prop.type not in _IMPURE


def cache_cleaning(query: QueryMapping) -> None:
    """Make the plain property mappings of a compiled mapping clean through `clean`."""
    for entity in query.entities:
        _cache_entity(entity)


def _cache_entity(entity: EntityMapping) -> None:
    entity.properties = [_cached(p) if _plain(p) else p for p in entity.properties]
