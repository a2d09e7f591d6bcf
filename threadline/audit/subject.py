"""A subject report: everything on record about one entity, grouped by what was done.

The data-protection question "what was done with my data, when, by whom and why" is
answered from the log alone: every event naming the entity or a record merged with it,
in sections (reads, searches that returned it, disclosures, merges and judgements, case
work, and anything else). Reading the log itself is left out: it shows who saw the
entity, not the entity. Beside the log, it lists the records outside the statements
that name the person (tips), and in which of their fields, but not what they say.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.audit.event import ActionKind
from threadline.audit.query import Listed

LOG_ACTIONS = "audit."
"""Actions on the log itself, which no subject report lists."""

SECTIONS = (
    ("reads", "Reads"),
    ("searches", "Searches that returned it"),
    ("disclosures", "Exports and other disclosures"),
    ("merges", "Merges and judgements"),
    ("cases", "Case work"),
    ("other", "Other"),
)
MERGES = frozenset({"judge", "undo", "resolve"})


def section_of(found: Listed) -> str:
    """The section an event belongs in, by its action and kind."""
    event = found.event
    if event.action == "search":
        return "searches"
    if event.kind is ActionKind.DISCLOSURE:
        return "disclosures"
    if event.action in MERGES or (event.kind is ActionKind.COMBINATION and "." not in event.action):
        return "merges"
    if event.action.startswith("case."):
        return "cases"
    if event.kind in (ActionKind.CONSULTATION, ActionKind.COMBINATION):
        return "reads"
    return "other"


@dataclass(frozen=True)
class Named:
    """A record outside the statements naming the subject: its kind ("tip") and id,
    when it arrived, where it stands, and the fields naming them ("text", "reason",
    "file name", "address")."""

    kind: str
    id: str
    received_at: str
    status: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class SubjectReport:
    """The events about one entity (newest first, at most a limit of them), the ids
    they were matched by (the entity and its merged records), how many there are, and
    the records naming the person outside the statements (tips), newest first."""

    entity_id: str
    ids: tuple[str, ...]
    events: list[Listed]
    total: int
    named: tuple[Named, ...] = ()

    def sections(self) -> list[tuple[str, str, list[Listed]]]:
        """(key, title, events) of each section that has events, in SECTIONS' order."""
        grouped: dict[str, list[Listed]] = {}
        for found in self.events:
            grouped.setdefault(section_of(found), []).append(found)
        return [(key, title, grouped[key]) for key, title in SECTIONS if key in grouped]
