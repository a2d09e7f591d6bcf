"""Index documents: what of an entity the search index needs, derived from its statements."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from followthemoney.schema import Schema
from followthemoney.types import registry

from threadline.model.caption import (
    EndCaptions,
    caption_props,
    end_ids,
    is_link,
    link_caption,
    thing_caption,
)
from threadline.model.entity import Entity
from threadline.model.schema import schema_family
from threadline.model.statement import StatementRow
from threadline.search.facets import FACET_PROPS, PageOf, facets_of
from threadline.search.facets import PAGE as PAGE  # re-exported: the indexer reads it here
from threadline.search.text import grams, name_tokens, tokens_once

# Values that are ids or machine codes add noise to full text.
_SKIP_TYPES = {registry.entity.name, registry.checksum.name, registry.mimetype.name}
# Names of *other* entities copied onto edges (a Payment mentions its payer's name):
# searchable as text, but they are not this entity's names.
_NOT_OWN_NAMES = {"namesMentioned"}
# Schemata whose names are all someone else's: a `Mention`'s name is the text a
# document used for the entity it points at (threadline.mentions), so a search for that
# entity finds the entity first, the mention among the text matches.
_NAMELESS = {"Mention"}


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
    # A slice of a merged entity: the part from some of its datasets, for callers who
    # read exactly those; `absent` names the entity's other datasets. Empty: the whole.
    absent: list[str] = field(default_factory=list)
    # Facets (threadline.search.facets): a document's type, an e-mail's sender and
    # recipient addresses, the year it is dated.
    doc_type: list[str] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)


def make_document(
    entity: Entity,
    absent: list[str] | None = None,
    within: str | PageOf | None = None,
    ends: EndCaptions | None = None,
) -> IndexDocument:
    """Build the index document of an assembled entity (or of a slice of one, whose
    other datasets are `absent`). `within` is the document a `Page` belongs to
    (its caption, or its caption, type and years): a page has no name of its own, so
    its caption says "report.pdf, page 3" (see `page_caption`), and its facets are
    its document's. `ends` caption the entities a link (a Payment, an
    Ownership...) points at, as a reader of this document's datasets sees them, so
    its caption says "Payment 9,900.00 EUR, Sokolov → Bürgerbund, 2020-08-14".

    Read straight from the statements in one pass (values of properties the merged
    schema lacks left out, as `Entity.proxy` does), with what each property is for
    worked out once per schema (`_reading`); the caption follows followthemoney's
    rule on the caption properties alone (`thing_caption`), with no proxy built.
    """
    schema = entity.schema
    reading = _reading(schema)
    roles = reading.roles
    names: set[str] = set()
    values: set[str] = set()
    countries: set[str] = set()
    shown: dict[str, list[str]] = {}
    faceted: dict[str, list[str]] = {}
    for row in entity.statements:
        role = roles.get(row.prop)
        if role is None:
            continue
        value = row.value
        if role & _FACET:
            faceted.setdefault(row.prop, []).append(value)
        if role & _SHOWN:
            seen = shown.setdefault(row.prop, [])
            if value not in seen:
                seen.append(value)
        kind = role & _KIND
        if kind == _SKIP:
            continue
        if kind == _NAME:
            names.add(value)
        elif kind == _COUNTRY:
            countries.add(value)
        values.add(value)
    ordered = sorted(names)
    name_terms = [t for name in ordered for t in _name_terms(name)]
    name_text = " ".join(name_terms)
    name_grams = " ".join(_gram_text(t) for t in dict.fromkeys(name_terms))
    full_text = _full_text(sorted(values))
    page = within if isinstance(within, PageOf) else None
    if schema.name == PAGE:
        caption = page_caption(entity, within)
    elif reading.link:
        wanted = end_ids(schema, shown)
        named = ends.seen_from(wanted, entity.datasets) if ends is not None and wanted else {}
        caption = link_caption(schema, shown, named)
    else:
        caption = thing_caption(schema, shown)
    facet = facets_of(schema, faceted, page, entity.datasets)
    return IndexDocument(
        id=entity.id,
        schema=schema.name,
        schemata=reading.family,
        caption=caption,
        datasets=entity.datasets,
        countries=sorted(countries),
        names=ordered,
        values=sorted(values - names) if names else sorted(values),
        name_text=name_text,
        name_grams=name_grams,
        full_text=full_text,
        absent=sorted(absent) if absent else [],
        doc_type=facet.doc_type,
        senders=facet.senders,
        recipients=facet.recipients,
        years=facet.years,
    )


# What a property is for, in a document: its kind of value (bits `_KIND`), and whether
# the caption reads it (`_SHOWN`), and whether a facet does (`_FACET`).
_SKIP, _NAME, _COUNTRY, _VALUE, _KIND, _SHOWN, _FACET = 0, 1, 2, 3, 3, 4, 8


@dataclass(frozen=True)
class _Reading:
    """What of a schema a document reads: each property's role, and the schema's facts."""

    roles: dict[str, int]
    family: list[str]
    link: bool


@lru_cache(maxsize=512)
def _reading(schema: Schema) -> _Reading:
    shown = set(schema.caption) | caption_props(schema)
    nameless = schema.name in _NAMELESS
    roles: dict[str, int] = {}
    for name, prop in schema.properties.items():
        kind = prop.type
        if kind.name in _SKIP_TYPES:
            role = _SKIP
        elif kind == registry.name and name not in _NOT_OWN_NAMES and not nameless:
            role = _NAME
        elif kind == registry.country:
            role = _COUNTRY
        else:
            role = _VALUE
        roles[name] = (
            role | (_SHOWN if name in shown else 0) | (_FACET if name in FACET_PROPS else 0)
        )
    # `schemata` lists are shared by the documents of a schema: nothing changes them.
    return _Reading(roles, schema_family(schema), is_link(schema))


Reader = Callable[[Collection[str]], Mapping[str, Sequence[StatementRow]]]


def link_ends(entities: Sequence[Entity], read: Reader) -> EndCaptions | None:
    """The statements of the entities the links among `entities` point at, for
    `make_document` to caption them: those among `entities` as they are, the others
    read in one go with `read` (a store's `statements_for`). None if none is a link."""
    wanted: set[str] = set()
    for entity in entities:
        schema = entity.schema
        props = caption_props(schema)
        if not props:
            continue
        values: dict[str, list[str]] = {}
        for row in entity.statements:
            if row.prop in props:
                values.setdefault(row.prop, []).append(row.value)
        wanted.update(end_ids(schema, values))
    if not wanted:
        return None
    known = {e.id: e.statements for e in entities if e.id in wanted}
    missing = wanted - known.keys()
    return EndCaptions({**known, **read(missing)} if missing else known)


def page_caption(entity: Entity, within: str | PageOf | None) -> str:
    """A page's caption: its document's caption and its page number."""
    numbers = sorted({r.value for r in entity.statements if r.prop == "index"})
    number = numbers[0] if numbers else "?"
    if number.endswith(".0"):  # followthemoney keeps numbers as text; 3.0 reads as 3
        number = number[:-2]
    if isinstance(within, PageOf):
        within = within.caption
    return f"{within or 'Document'}, page {number}"


def _full_text(values: list[str]) -> str:
    """The folded terms of all values, in order, from the values joined by spaces:
    `fold` works character by character or piece by piece between spaces, so no term
    spans two values and the text is the same as folding each value (one call per
    entity, not one per value)."""
    return " ".join(tokens_once(" ".join(values)))


# A merged entity's slices repeat its names, and names and words recur across
# entities: their terms are worked out once.


@lru_cache(maxsize=100_000)
def _name_terms(name: str) -> tuple[str, ...]:
    return tuple(name_tokens(name))


@lru_cache(maxsize=100_000)
def _gram_text(token: str) -> str:
    return " ".join(grams(token))
