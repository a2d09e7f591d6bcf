"""Phone numbers in national format: the country they are dialed in, as a parsing hint.

followthemoney keeps phone numbers in E.164 (`+12025550143`) and discards a number in
national format (`(202) 555-0143`) unless it is told the country to dial it in. It
takes that hint as the `format` of the value (`proxy.add("phone", v, format="us")`),
and a mapping can give it per property (`phone: {column: tel, format: us}`). We try,
in this order, until one parses the number:

1. the phone property's own `format:` in the mapping (followthemoney's own way; when
   it is given, it is the only hint),
2. the entity's own country values in that record (`country`, `jurisdiction`,
   `nationality`..., from a column or a `literal:`), which followthemoney's mapping
   maps before the other properties for this very purpose,
3. the dataset-level default: `Workbench.ingest(country=...)`, `--country`.

A number none of them parses is still discarded, and reported as a row error.
"""

from __future__ import annotations

from functools import lru_cache

from followthemoney.exc import InvalidData
from followthemoney.mapping.entity import EntityMapping
from followthemoney.mapping.property import PropertyMapping
from followthemoney.mapping.query import QueryMapping
from followthemoney.mapping.source import Record
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from threadline.errors import InputError

FLAG = "--country"
_PROBE = "+12025550143"  # any international number: cleaning it checks only the hint


@lru_cache(maxsize=512)
def dialing_country(code: str) -> str | None:
    """The country code followthemoney accepts as a phone hint for `code`, or None."""
    country = registry.country.clean_text(code)
    if country is None:
        return None
    try:
        registry.phone.clean_text(_PROBE, format=country)
    except InvalidData:
        return None  # a territory without a numbering plan of its own: eu, zz
    return country


def check_country(code: str | None) -> str | None:
    """The dataset-level default country, normalised (`US` → `us`); an InputError naming
    the `--country` flag if followthemoney cannot dial numbers in it."""
    if code is None or not code.strip():
        return None
    country = dialing_country(code.strip())
    if country is None:
        raise InputError(
            FLAG,
            f"{code!r} is not a country with a phone numbering plan; "
            "give a two-letter country code such as us, de or gb",
        )
    return country


class _HintedPhone(PropertyMapping):
    """A phone property mapping that tries the entity's countries, then the default."""

    __slots__ = ("default",)

    default: str | None

    def map(
        self, proxy: EntityProxy, record: Record, entities: dict[str, EntityProxy]
    ) -> list[str]:
        values = self.record_values(record)
        if self.join is not None:
            values = [self.join.join(values)]
        if self.split is not None:
            values = [part for value in values for part in value.split(self.split)]
        hints: list[str | None] = []
        for code in [*proxy.get_type_values(registry.country), self.default]:
            country = None if code is None else dialing_country(code)
            if country is not None and country not in hints:
                hints.append(country)
        if not hints:
            hints.append(None)
        discarded: list[str] = []
        for value in values:
            # One hint at a time, the first that parses wins: a national number may
            # be valid in two countries, and must not become two numbers.
            if not any(
                proxy.unsafe_add(self.prop, value, fuzzy=self.fuzzy, format=hint) is not None
                for hint in hints
            ):
                discarded.append(value)
        return discarded


def _hinted(mapping: PropertyMapping, default: str | None) -> PropertyMapping:
    # PropertyMapping has __slots__ and no copy constructor: copy the slots over.
    hinted = object.__new__(_HintedPhone)
    for slot in PropertyMapping.__slots__:
        setattr(hinted, slot, getattr(mapping, slot))
    hinted.default = default
    return hinted


def hint_phones(query: QueryMapping, default: str | None) -> None:
    """Make every phone property of a compiled mapping that has no `format:` of its
    own parse national numbers with the entity's countries and then `default`."""
    for entity in query.entities:
        _hint_entity(entity, default)


def _hint_entity(entity: EntityMapping, default: str | None) -> None:
    entity.properties = [
        _hinted(prop, default)
        if prop.prop.type == registry.phone and prop.format is None and prop.entity is None
        else prop
        for prop in entity.properties
    ]
