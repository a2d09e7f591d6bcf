"""Index documents: what of an entity the search index needs, derived from its statements."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from threadline.model.caption import EndCaptions, caption_props, end_ids, is_link, link_caption
from threadline.model.entity import Entity
from threadline.model.schema import schema_family
from threadline.model.statement import StatementRow
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
    # A slice of a merged entity: the part from some of its datasets, for callers who
    # read exactly those; `absent` names the entity's other datasets. Empty: the whole.
    absent: list[str] = field(default_factory=list)


def make_document(
    entity: Entity,
    absent: list[str] | None = None,
    within: str | None = None,
    ends: EndCaptions | None = None,
) -> IndexDocument:
    """Build the index document of an assembled entity (or of a slice of one, whose
    other datasets are `absent`). `within` is the caption of the document a `Page`
    belongs to: a page has no name of its own, so its caption says "report.pdf,
    page 3" (see `page_caption`). `ends` caption the entities a link (a Payment, an
    Ownership...) points at, as a reader of this document's datasets sees them, so
    its caption says "Payment 9,900.00 EUR, Sokolov → Bürgerbund, 2020-08-14".

    Read straight from the statements (values of properties the merged schema lacks
    left out, as `Entity.proxy` does); only the caption goes through followthemoney,
    on a proxy of the caption properties alone: a merged entity makes one document
    per slice, and a whole proxy for each was a third of the indexer's time.
    """
    schema = entity.schema
    properties = schema.properties
    link = is_link(schema)
    shown_props = set(schema.caption) | caption_props(schema)
    names: set[str] = set()
    values: set[str] = set()
    countries: set[str] = set()
    shown: dict[str, list[str]] = {}
    for row in entity.statements:
        prop = properties.get(row.prop)
        if prop is None:
            continue
        value = row.value
        if row.prop in shown_props:
            seen = shown.setdefault(row.prop, [])
            if value not in seen:
                seen.append(value)
        kind = prop.type
        if kind.name in _SKIP_TYPES:
            continue
        if kind == registry.name and prop.name not in _NOT_OWN_NAMES:
            names.add(value)
        elif kind == registry.country:
            countries.add(value)
        values.add(value)
    ordered = sorted(names)
    name_terms = [t for name in ordered for t in _name_terms(name)]
    name_text = " ".join(name_terms)
    name_grams = " ".join(_gram_text(t) for t in dict.fromkeys(name_terms))
    full_text = " ".join(filter(None, map(_text_terms, sorted(values))))
    if link:
        wanted = end_ids(schema, shown)
        named = ends.seen_from(wanted, entity.datasets) if ends is not None and wanted else {}
        caption = link_caption(schema, shown, named)
    else:
        caption = EntityProxy(schema, {"id": entity.id, "properties": shown}).caption
    if schema.name == PAGE:
        caption = page_caption(entity, within)
    return IndexDocument(
        id=entity.id,
        schema=schema.name,
        schemata=schema_family(schema),
        caption=caption,
        datasets=entity.datasets,
        countries=sorted(countries),
        names=ordered,
        values=sorted(values - names),
        name_text=name_text,
        name_grams=name_grams,
        full_text=full_text,
        absent=sorted(absent or []),
    )


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


PAGE = "Page"


def page_caption(entity: Entity, within: str | None) -> str:
    """A page's caption: its document's caption and its page number."""
    numbers = sorted({r.value for r in entity.statements if r.prop == "index"})
    number = numbers[0] if numbers else "?"
    if number.endswith(".0"):  # followthemoney keeps numbers as text; 3.0 reads as 3
        number = number[:-2]
    return f"{within or 'Document'}, page {number}"


# A merged entity's slices repeat its values, and many values recur across entities
# (places, countries, common names): their terms are worked out once.


@lru_cache(maxsize=200_000)
def _text_terms(value: str) -> str:
    return " ".join(tokens(value))


@lru_cache(maxsize=100_000)
def _name_terms(name: str) -> tuple[str, ...]:
    return tuple(name_tokens(name))


@lru_cache(maxsize=100_000)
def _gram_text(token: str) -> str:
    return " ".join(grams(token))
