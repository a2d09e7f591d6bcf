"""A case's timeline: the dated facts of its pinned entities, in date order.

Dates are followthemoney date values (`prop_type == "date"`): ISO 8601 prefixes of
any precision, such as `2019`, `2019-03` or `2019-03-02T10:00:00`. Their text order is
their time order, with a coarser date before the finer dates it contains.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from threadline.model.statement import StatementRow

DATE_TYPE = "date"


@dataclass(frozen=True, slots=True, order=True)
class TimelineItem:
    """One dated fact: when, about which entity, which property, and its statement."""

    date: str
    entity_id: str
    prop: str
    value: str
    statement_id: str
    dataset: str


def timeline(
    statements: Iterable[StatementRow],
    entity_ids: Collection[str] | None = None,
    scope: Collection[str] | None = None,
) -> list[TimelineItem]:
    """The dated statements, sorted by date, then entity, property and statement id.

    Only statements of `entity_ids` (the case's pins) and from collections in `scope`
    (the case's scope for its member) are kept, when those are given.
    """
    items = [
        TimelineItem(row.value, row.entity_id, row.prop, row.value, row.id, row.dataset)
        for row in statements
        if row.prop_type == DATE_TYPE
        and row.value
        and (entity_ids is None or row.entity_id in entity_ids)
        and (scope is None or row.dataset in scope)
    ]
    return sorted(set(items))
