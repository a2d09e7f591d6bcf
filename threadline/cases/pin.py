"""Pins: entities a case keeps in view; their dated facts make the case's timeline."""

from __future__ import annotations

from dataclasses import dataclass

from threadline.audit.event import utc_timestamp
from threadline.cases.case import Case, CaseRole
from threadline.cases.citation import KnownIds
from threadline.cases.errors import CaseError, UnknownCitation
from threadline.cases.scope import require_member


@dataclass(frozen=True, slots=True)
class Pin:
    """An entity pinned to a case, by whom, when, and why."""

    case_id: str
    entity_id: str
    pinned_by: str
    pinned_at: str
    comment: str = ""


def new_pin(
    case: Case,
    entity_id: str,
    pinned_by: str,
    comment: str = "",
    known_entities: KnownIds | None = None,
    *,
    now: str | None = None,
) -> Pin:
    """A pin by an editor or owner; refused if `known_entities` does not know the id."""
    require_member(case, pinned_by, CaseRole.EDITOR)
    if not entity_id.strip():
        raise CaseError("a pin needs an entity id")
    if known_entities is not None and entity_id not in set(known_entities(frozenset([entity_id]))):
        raise UnknownCitation("entity", [entity_id], "cannot pin")
    return Pin(case.id, entity_id, pinned_by, now or utc_timestamp(), comment.strip())
