"""Captions of links and events: what a Payment, an Ownership or a Sanction says in a line.

followthemoney captions an edge by its amount or role, or by its schema's name alone
("Ownership"), which says nothing in a list of hits. Here a link reads as its schema's
label, its key value, its two ends and its date or period:

    Payment 9,900.00 EUR, Sokolov → Bürgerbund, 2020-08-14
    Ownership 25%, Halcyon Ltd → Bruckenbau Hansa GmbH
    Directorship (director), Anna Meier → X AG, 2019–2021

The ends come from the schema (`edge_source` → `edge_target`; for an interval that is
no edge, such as a Sanction, its featured entity properties), and their captions from a
lookup the caller fills in bulk: a missing end reads "?", and with no end known at all
the ends are left out. Everything else is the entity's own values.
"""  # noqa: RUF002 - the en dash of a period, as the captions print it

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from followthemoney.schema import Schema
from followthemoney.types import registry
from rigour.names import pick_name

from threadline.model.schema import merged_schema
from threadline.model.statement import StatementRow

Values = Mapping[str, Sequence[str]]  # property name -> values
_UNKNOWN = "?"
_DASH = "\u2013"  # an en dash between the start and end of a period
_POINT = "date"  # the Interval property of a single day (a payment's), not a period's start
# Descriptive values shown in parentheses: an edge's role or kind of relationship.
_QUALIFIERS = ("role", "relationship")
# Value types a schema's caption property may add after the label (an event's name, an
# identification's number); long text (summaries) is left to the entity's page.
_PLAIN_TYPES = frozenset({"name", "identifier", "phone"})


@dataclass(frozen=True)
class _Reading:
    """What of a schema a link caption reads."""

    label: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    plain: tuple[str, ...]
    qualifiers: tuple[str, ...]
    starts: tuple[str, ...]
    ends: tuple[str, ...]
    props: frozenset[str]


def is_link(schema: Schema) -> bool:
    """Whether `schema` is captioned here: an edge (Payment, Ownership...), an event, or
    an interval that is no thing of its own (Sanction, Identification, Call...)."""
    return _reading(schema) is not None


def caption_props(schema: Schema) -> frozenset[str]:
    """The properties a link's caption reads (empty for other schemata)."""
    reading = _reading(schema)
    return reading.props if reading is not None else frozenset()


def end_ids(schema: Schema, values: Values) -> list[str]:
    """The ids of the entities whose captions a link's caption shows."""
    reading = _reading(schema)
    if reading is None:
        return []
    return [v for p in (*reading.source, *reading.target) for v in values.get(p, ())]


def link_caption(schema: Schema, values: Values, ends: Mapping[str, str]) -> str:
    """The caption of a link entity of `schema` with these property values; `ends` are
    the captions of the entities it points at, by id (those missing read "?")."""
    reading = _reading(schema)
    if reading is None:
        raise ValueError(f"{schema.name} is not captioned as a link")
    head = " ".join([reading.label, *_key(reading, values)])
    qualifiers = [v for p in reading.qualifiers for v in values.get(p, ())]
    if qualifiers:
        head += f" ({_trim('; '.join(dict.fromkeys(qualifiers)))})"
    parts = [head]
    source = _names(reading.source, values, ends)
    target = _names(reading.target, values, ends)
    if reading.target:  # an edge: "source → target"
        if source != _UNKNOWN or target != _UNKNOWN:
            parts.append(f"{source} → {target}")
    elif source != _UNKNOWN:  # an interval's entities, in a row
        parts.append(source)
    period = _period(reading, values)
    if period:
        parts.append(period)
    return ", ".join(parts)


@dataclass
class EndCaptions:
    """The captions of the entities links point at, from their statements, as a reader
    of some datasets sees them: a link's caption must not name an end from a dataset
    its reader may not read, so each end is captioned from those datasets' statements."""

    rows: Mapping[str, Sequence[StatementRow]]
    # Each end's caption (None: it has no statement there) per set of datasets.
    _cache: dict[tuple[str, frozenset[str]], str | None] = field(
        default_factory=dict, init=False, repr=False
    )

    def seen_from(self, ids: Sequence[str], datasets: Collection[str]) -> dict[str, str]:
        """The captions of these ends from the statements of `datasets` alone."""
        key = frozenset(datasets)
        found: dict[str, str] = {}
        for end in ids:
            if (end, key) not in self._cache:
                mine = [r for r in self.rows.get(end, ()) if r.dataset in key]
                self._cache[(end, key)] = plain_caption(end, mine) if mine else None
            caption = self._cache[(end, key)]
            if caption is not None:
                found[end] = caption
        return found


def plain_caption(entity_id: str, rows: Sequence[StatementRow]) -> str:
    """followthemoney's caption of an entity's statements (a link's without its ends)."""
    schema = merged_schema(r.schema for r in rows)
    # Only what the caption reads: a proxy of every value costs twice as much.
    wanted = caption_props(schema) or frozenset(schema.caption)
    values: dict[str, list[str]] = {}
    for row in rows:
        if row.prop in wanted:
            seen = values.setdefault(row.prop, [])
            if row.value not in seen:
                seen.append(row.value)
    if is_link(schema):
        return link_caption(schema, values, {})
    return thing_caption(schema, values)


def thing_caption(schema: Schema, values: Values) -> str:
    """followthemoney's caption (`EntityProxy.caption`) of an entity of `schema` with
    these distinct, clean values: the first value of its first caption property that
    has one, the most typical of several names, or else the schema's label.

    The same rule as followthemoney's, without building a proxy: the indexer captions
    every entity, and a proxy per entity was about a tenth of `make_document` in a
    profile (tests/model checks the two agree)."""
    properties = schema.properties
    for name in schema.caption:
        found = values.get(name)
        if not found:
            continue
        if len(found) > 1 and properties[name].type == registry.name:
            picked = pick_name(sorted(found))
            if picked is not None:
                return picked
            continue
        return found[0]
    return schema.label


def _key(reading: _Reading, values: Values) -> list[str]:
    """The value a link is about: its amount, its share, or its name or number."""
    key = []
    amount = _first(reading, values, "amount")
    if amount is not None:
        currency = _first(reading, values, "currency")
        key.append(_number(amount, 2) + (f" {currency.upper()}" if currency else ""))
    share = _first(reading, values, "percentage")
    if share is not None:
        key.append(share if share.endswith("%") or not _is_number(share) else f"{share}%")
    elif (count := _first(reading, values, "sharesCount")) is not None:
        key.append(f"{_number(count, 0)} shares")
    key.extend(v for p in reading.plain for v in values.get(p, ())[:1])
    return [_trim(k) for k in key]


def _names(props: tuple[str, ...], values: Values, ends: Mapping[str, str]) -> str:
    ids = [v for p in props for v in values.get(p, ())]
    names = [ends.get(i, _UNKNOWN) for i in dict.fromkeys(ids)]
    known = [n for n in names if n != _UNKNOWN]
    return " / ".join(dict.fromkeys(known or names)) if ids else _UNKNOWN


def _period(reading: _Reading, values: Values) -> str:
    """The date of a link ("2020-08-14") or its period: start, en dash, end, or "from
    2019" or "until 2021" when only one end of it is known."""
    starts = sorted(v for p in reading.starts for v in values.get(p, ()))
    ends = sorted(v for p in reading.ends for v in values.get(p, ()))
    start = starts[0] if starts else None
    end = ends[-1] if ends else None
    if start is None and end is None:
        points = sorted(values.get(_POINT, ()))
        return points[0] if points else ""
    if start == end:
        return start or ""
    if end is None:
        return f"from {start}"
    if start is None:
        return f"until {end}"
    return f"{start}{_DASH}{end}"


def _first(reading: _Reading, values: Values, prop: str) -> str | None:
    """The first value of `prop`, if the schema has it."""
    found = values.get(prop) if prop in reading.props else None
    return found[0] if found else None


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _number(text: str, decimals: int) -> str:
    """`text` with thousands separators and `decimals` decimals, or as it is."""
    if not _is_number(text):
        return text
    return f"{float(text.replace(',', '')):,.{decimals}f}"


def _trim(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=512)
def _reading(schema: Schema) -> _Reading | None:
    if schema.edge and schema.edge_source and schema.edge_target:
        source: tuple[str, ...] = (schema.edge_source,)
        target: tuple[str, ...] = (schema.edge_target,)
    elif schema.is_a("Event") or (schema.is_a("Interval") and not schema.is_a("Thing")):
        entity_props = (p for p in schema.featured if schema.properties[p].type.name == "entity")
        source, target = tuple(entity_props), ()
    else:
        return None
    props = schema.properties
    plain = tuple(p for p in schema.caption if props[p].type.name in _PLAIN_TYPES)
    qualifiers = tuple(
        p
        for p in dict.fromkeys([*_QUALIFIERS, *schema.caption])
        if p in props and props[p].type.name == "string"
    )
    starts = tuple(p.name for p in schema.temporal_start_props if p.name != _POINT)
    ends = tuple(p.name for p in schema.temporal_end_props)
    money = ("amount", "currency", "percentage", "sharesCount")
    used = {*source, *target, *plain, *qualifiers, *starts, *ends, _POINT, *money}
    return _Reading(
        label=schema.label,
        source=source,
        target=target,
        plain=plain,
        qualifiers=qualifiers,
        starts=starts,
        ends=ends,
        props=frozenset(p for p in used if p in props),
    )
