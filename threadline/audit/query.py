"""Questions an auditor asks of the log: which events, by whom, about what, when, why.

`AuditFilter` is the question as typed (every field text, every one optional), the same
names on the web page, in the API and on the command line; `AuditQuery` is the checked
form a backend answers. `matches` is the answer in Python, for the in-memory log and as
the reference the SQL backend is tested against (`threadline.audit.where` turns the
same query into one WHERE clause). Pages are cut by entry index, newest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta

from threadline.audit.errors import AuditError
from threadline.audit.event import ActionKind, AuditEvent

MAX_TEXT = 200  # characters of a filter value: longer ones are no real question


class QueryError(AuditError):
    """A filter value that cannot be used; the message names the field."""


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Which events: each set field must match (None or empty matches everything).

    `purpose` is a case-insensitive substring; `since` and `until` are times in the
    events' own form (`since` <= time < `until`); an event matches `object_ids` if it
    names any of them; `hide_prefix` leaves out actions starting with it.
    """

    actor: str | None = None
    kinds: frozenset[ActionKind] = frozenset()
    action: str | None = None
    case_id: str | None = None
    purpose: str | None = None
    since: str | None = None
    until: str | None = None
    object_ids: frozenset[str] = frozenset()
    outcome: str | None = None
    hide_prefix: str | None = None

    def matches(self, event: AuditEvent) -> bool:
        """Whether the event answers this query."""
        return (
            (self.actor is None or event.actor == self.actor)
            and (not self.kinds or event.kind in self.kinds)
            and (self.action is None or event.action == self.action)
            and (self.case_id is None or event.case_id == self.case_id)
            and (
                self.purpose is None
                or (event.purpose is not None and self.purpose.casefold() in fold(event.purpose))
            )
            and (self.since is None or event.time >= self.since)
            and (self.until is None or event.time < self.until)
            and (not self.object_ids or not self.object_ids.isdisjoint(event.object_ids))
            and (self.outcome is None or event.outcome == self.outcome)
            and (self.hide_prefix is None or not event.action.startswith(self.hide_prefix))
        )


def fold(text: str) -> str:
    """Text as purposes are compared: case-folded (the SQL backends do the same)."""
    return text.casefold()


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """An auditor's question as typed: actor, kind (consultation, disclosure...), action
    verb, case id, a purpose substring, `since`/`until` (ISO dates or times, both days
    included) and an entity id (with the records merged with it) or any object id."""

    actor: str | None = None
    kind: str | None = None
    action: str | None = None
    case_id: str | None = None
    purpose: str | None = None
    since: str | None = None
    until: str | None = None
    entity_id: str | None = None

    def __post_init__(self) -> None:
        # Forms send empty fields: they ask nothing.
        for item in fields(self):
            value = getattr(self, item.name)
            if value is not None:
                value = value.strip() or None
                if value is not None and len(value) > MAX_TEXT:
                    raise QueryError(f"{item.name}: at most {MAX_TEXT} characters")
                object.__setattr__(self, item.name, value)

    def params(self) -> dict[str, str]:
        """The fields given, by name (for links, and the record of an export)."""
        found = ((item.name, getattr(self, item.name)) for item in fields(self))
        return {name: value for name, value in found if value is not None}

    def describe(self) -> str:
        """The fields given as `name=value` words, or `all`."""
        return " ".join(f"{k}={v}" for k, v in self.params().items()) or "all"

    def query(self, object_ids: Iterable[str] = ()) -> AuditQuery:
        """The checked query; `object_ids` stand for `entity_id` (its merged cluster)."""
        kinds: frozenset[ActionKind] = frozenset()
        if self.kind is not None:
            try:
                kinds = frozenset({ActionKind(self.kind.lower())})
            except ValueError:
                names = ", ".join(k.value for k in ActionKind)
                raise QueryError(f"kind: {self.kind!r} is not one of {names}") from None
        ids = frozenset(object_ids) or (
            frozenset({self.entity_id}) if self.entity_id else frozenset()
        )
        return AuditQuery(
            actor=self.actor,
            kinds=kinds,
            action=self.action,
            case_id=self.case_id,
            purpose=self.purpose,
            since=time_bound("since", self.since, end=False),
            until=time_bound("until", self.until, end=True),
            object_ids=ids,
        )


def time_bound(name: str, value: str | None, *, end: bool) -> str | None:
    """An ISO date or time as a bound in the events' form: a date starts its day, or,
    as an `end`, takes the whole day in; a time without a zone is UTC."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            step = timedelta(days=1)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            step = timedelta(microseconds=1)
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise QueryError(
            f"{name}: {value!r} is not an ISO date or time (like 2026-01-31 or 2026-01-31T10:30)"
        ) from None
    if end:
        try:
            moment += step
        except OverflowError:
            return None  # the end of the calendar bounds nothing
    # Zero-padded like the events' times, so bounds compare as text (year 999 too).
    return f"{moment.year:04d}" + moment.strftime("-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class Listed:
    """One event found, with its index in the log (what pages are cut at)."""

    index: int
    event: AuditEvent


@dataclass(frozen=True)
class AuditPage:
    """One page of events answering a query, newest first, and how to turn it.

    `older` is the `before` and `newer` the `after` cursor of the next page that way,
    None where there is none; `total` counts every matching event.
    """

    events: list[Listed]
    total: int
    older: int | None = None
    newer: int | None = None
