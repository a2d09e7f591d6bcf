"""A timeline: every dated fact of the entities in view, and of the entities that touch
them (payments, ownerships, awards, e-mails...), in date order.

Which properties are dates, and which entities are periods, comes from followthemoney's
schema model: a property whose type is `registry.date`, an entity whose schema is an
`Interval`. A period runs from its start date to its end date. Dates are ISO 8601
prefixes of any precision (`2019`, `2019-03`, `2019-03-02T10:00:00`): their text order
is their time order, with a coarser date before the finer dates it contains.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from followthemoney import registry
from followthemoney.property import Property
from followthemoney.schema import Schema

from threadline.cases.wording import describe, values_of
from threadline.model.entity import Entity
from threadline.model.schema import merged_schema
from threadline.model.statement import StatementRow

DATE_TYPE = registry.date.name
ENTITY_TYPE = registry.entity.name
INTERVAL = "Interval"  # followthemoney's schema of things with a start and an end
START, END = "startDate", "endDate"  # the Interval schema's period properties
Files = Mapping[tuple[str, str], str]  # (sha256, dataset) -> a source file's name


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One dated fact: when (a date, or a period's start and end), what it is in
    words, about which entity, and the statement (with its dataset and source) that
    says so. A period's end has its own statement."""

    date: str
    entity_id: str
    prop: str
    value: str
    statement_id: str
    dataset: str
    schema: str = ""
    label: str = ""
    end: str | None = None
    end_statement_id: str | None = None
    source: str = ""
    location: int | None = None
    file: str = ""  # the source file's name, where known

    @property
    def period(self) -> bool:
        """True for a period (from a start date, perhaps to an end date)."""
        return self.prop == START

    @property
    def statement_ids(self) -> list[str]:
        """The statements this item shows: its date's, and its end's."""
        return [self.statement_id] + ([self.end_statement_id] if self.end_statement_id else [])

    def key(self) -> tuple[str, str, str, str, str]:
        """The sort key: date, entity, property, value, statement."""
        return (self.date, self.entity_id, self.prop, self.value, self.statement_id)


def _date_prop(schema: Schema, row: StatementRow) -> Property | None:
    """The statement's property if the schema says it holds a date."""
    prop = schema.properties.get(row.prop)
    return prop if prop is not None and prop.type == registry.date else None


def _in_view(entity_id: str, rows: list[StatementRow], focus: Collection[str] | None) -> bool:
    """An entity in view, or one whose link (an entity-typed value) points at one."""
    if focus is None or entity_id in focus:
        return True
    return any(r.prop_type == ENTITY_TYPE and r.value in focus for r in rows)


def _item(
    row: StatementRow, label: str, end: StatementRow | None = None, files: Files | None = None
) -> TimelineItem:
    return TimelineItem(
        date=row.value,
        entity_id=row.entity_id,
        prop=row.prop,
        value=row.value if end is None else f"{row.value} to {end.value}",
        statement_id=row.id,
        dataset=row.dataset,
        schema=row.schema,
        label=label,
        end=None if end is None else end.value,
        end_statement_id=None if end is None else end.id,
        source=row.source,
        location=row.location,
        file=(files or {}).get((row.source, row.dataset), ""),
    )


def dated(
    entity_id: str,
    rows: list[StatementRow],
    captions: Mapping[str, str],
    files: Files | None = None,
) -> list[TimelineItem]:
    """The dated facts of one entity: one item per date statement, a period for each
    start date of an Interval (ending at its latest end date)."""
    schema = merged_schema(r.schema for r in rows)
    props = values_of(rows)
    subject = describe(schema, entity_id, props, captions)
    caption = captions.get(entity_id, entity_id)
    dates = [(r, p) for r in rows if r.value and (p := _date_prop(schema, r)) is not None]
    ends = [r for r, p in dates if p.name == END]
    last = max(ends, key=lambda r: (r.value, r.id)) if ends else None
    starts = schema.is_a(INTERVAL) and any(p.name == START for _, p in dates)
    items = []
    for row, prop in dates:
        if starts and prop.name == START:
            items.append(_item(row, subject, last, files))
        elif starts and row is last:
            continue  # shown as the end of the periods
        elif schema.edge and prop.name in schema.featured and prop.name != END:
            items.append(_item(row, subject, None, files))
        else:
            named = subject if schema.edge else caption
            items.append(_item(row, f"{prop.label}: {named}", None, files))
    return items


def captions_of(groups: Mapping[str, list[StatementRow]]) -> dict[str, str]:
    """Each entity's caption, as followthemoney picks it from its statements."""
    return {
        entity_id: Entity.assemble(entity_id, rows).caption for entity_id, rows in groups.items()
    }


def timeline(
    statements: Iterable[StatementRow],
    entity_ids: Collection[str] | None = None,
    scope: Collection[str] | None = None,
    captions: Mapping[str, str] | None = None,
    files: Files | None = None,
) -> list[TimelineItem]:
    """The dated facts, sorted by date, then entity, property, value and statement.

    With `entity_ids` (the entities in view: a case's pins, an entity's records), the
    dated facts of those entities and of the entities whose links point at them; the
    statements of other entities only name the ends of links. Only statements from
    collections in `scope` (the case's scope for its member) count, when given.
    `captions` overrides the captions the statements give (a merged entity's);
    `files` names the source files by (sha256, dataset).
    """
    groups: dict[str, dict[str, StatementRow]] = {}
    for row in statements:
        if scope is None or row.dataset in scope:
            groups.setdefault(row.entity_id, {})[row.id] = row
    rows = {entity_id: list(found.values()) for entity_id, found in groups.items()}
    names = {**captions_of(rows), **(captions or {})}
    focus = None if entity_ids is None else frozenset(entity_ids)
    items: set[TimelineItem] = set()
    for entity_id, found in rows.items():
        if _in_view(entity_id, found, focus):
            items.update(dated(entity_id, found, names, files))
    return sorted(items, key=TimelineItem.key)
