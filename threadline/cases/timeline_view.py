"""A view of a timeline: filter by type (schema or property) and by a range of dates,
and zoom out to years, months or days.

The filter is the one the CLI, the API and the pages share (`schema`, `prop`,
`since`, `until`); bad input is a `CaseError` naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from followthemoney import model, registry

from threadline.cases.errors import CaseError
from threadline.cases.timeline import TimelineItem

ZOOMS = {"year": 4, "month": 7, "day": 10}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _date(field: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not DATE.match(value):
        raise CaseError(f"{field}: {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _schema(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if model.get(value.strip()) is None:
        raise CaseError(f"schema: {value!r} is not a followthemoney schema (Payment, Ownership...)")
    return value.strip()


@lru_cache(maxsize=1)
def date_props() -> frozenset[str]:
    """The names of every date property in followthemoney's model."""
    return frozenset(
        p.name
        for s in model.schemata.values()
        for p in s.properties.values()
        if p.type == registry.date
    )


def _prop(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if value.strip() not in date_props():
        raise CaseError(f"prop: {value!r} is not a date property (startDate, birthDate...)")
    return value.strip()


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    """Which dated facts to show: of a schema (and its descendants), of a property,
    and overlapping the dates from `since` to `until` (inclusive, any precision)."""

    schema: str | None = None
    prop: str | None = None
    since: str | None = None
    until: str | None = None

    @classmethod
    def parse(
        cls,
        schema: str | None = None,
        prop: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> TimelineFilter:
        """A checked filter; blank values mean no limit."""
        found = cls(_schema(schema), _prop(prop), _date("since", since), _date("until", until))
        if found.since and found.until and found.until < found.since[: len(found.until)]:
            raise CaseError(f"until: {found.until!r} is before since {found.since!r}")
        return found

    def keeps(self, item: TimelineItem) -> bool:
        """True if the item passes every limit."""
        if self.schema is not None:
            schema = model.get(item.schema)
            if schema is None or not schema.is_a(self.schema):
                return False
        if self.prop is not None and item.prop != self.prop:
            return False
        last = item.end or item.date
        if self.since is not None and last[: len(self.since)] < self.since:
            return False
        return self.until is None or item.date[: len(self.until)] <= self.until

    def apply(self, items: Iterable[TimelineItem]) -> list[TimelineItem]:
        """The items this filter keeps, in their order."""
        return [item for item in items if self.keeps(item)]


def zoom_of(value: str | None) -> str:
    """A zoom level (`year`, `month`, `day`), or a clear error naming the field."""
    if value is None or not value.strip():
        return "year"
    if value not in ZOOMS:
        raise CaseError(f"zoom: {value!r} is not one of {', '.join(ZOOMS)}")
    return value


def grouped(items: Sequence[TimelineItem], zoom: str) -> list[tuple[str, list[TimelineItem]]]:
    """Items in groups of one year, month or day, in order; a date coarser than the
    zoom (a bare year at month zoom) stays in its own group."""
    size = ZOOMS[zoom_of(zoom)]
    groups: dict[str, list[TimelineItem]] = {}
    for item in items:
        groups.setdefault(item.date[:size], []).append(item)
    return list(groups.items())


def kinds(items: Iterable[TimelineItem]) -> tuple[list[str], list[str]]:
    """The schemata and the date properties present, sorted: the filter's choices."""
    found = list(items)
    return sorted({i.schema for i in found if i.schema}), sorted({i.prop for i in found})
