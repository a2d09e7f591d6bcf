"""What may leave in a shared case: markings decide, and the bundle says what stayed.

A statement leaves only if every marking of its collection is one the recipient is
configured to hold (`share_recipients` in the settings), and never if one of them is
`no-share`. A pin leaves if some of its entity's statements do; a note leaves only if
everything it cites leaves whole (its text may quote what stayed home). What stayed is
listed by entity and note id with counts, never by value, and not by statement id
either: a statement id hashes its value, which a recipient could guess and confirm.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from threadline.cases.note import Note
from threadline.cases.pin import Pin
from threadline.model.statement import StatementRow

NO_SHARE = "no-share"
OUT_OF_REACH = "out of the case's reach"
Markings = Callable[[Iterable[str]], list[str]]


def refusal(markings: Iterable[str], allowed: Collection[str]) -> str | None:
    """Why data with these markings may not go to this recipient (None: it may)."""
    held = sorted(markings)
    if NO_SHARE in held:
        return f"marking {NO_SHARE}"
    missing = [m for m in held if m not in allowed]
    return f"marking {missing[0]} not allowed for the recipient" if missing else None


@dataclass
class Shared:
    """The part of a case that may leave, and the account of what may not."""

    rows: list[StatementRow] = field(default_factory=list)
    pins: list[Pin] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    withheld_statements: Counter[tuple[str, str]] = field(default_factory=Counter)
    withheld_pins: dict[str, str] = field(default_factory=dict)
    withheld_notes: dict[str, str] = field(default_factory=dict)

    def report(self) -> dict[str, Any]:
        """`withheld.json`: counts and ids, never a withheld value."""
        return {
            "statements": sum(self.withheld_statements.values()),
            "by_entity": [
                {"entity_id": entity_id, "reason": reason, "statements": count}
                for (entity_id, reason), count in sorted(self.withheld_statements.items())
            ],
            "pins": [{"entity_id": e, "reason": r} for e, r in sorted(self.withheld_pins.items())],
            "notes": [{"note_id": n, "reason": r} for n, r in sorted(self.withheld_notes.items())],
        }

    @property
    def withheld(self) -> int:
        """How many statements, pins and notes stayed home."""
        counts = self.withheld_statements.values()
        return sum(counts) + len(self.withheld_pins) + len(self.withheld_notes)


def apply_policy(
    rows: Iterable[StatementRow],
    pins: Sequence[Pin],
    notes: Sequence[Note],
    markings: Markings,
    allowed: Collection[str],
    members: Mapping[str, Collection[str]] | None = None,
) -> Shared:
    """Split a case's evidence into what may go to a recipient holding `allowed`.

    `rows` are the statements within the case's reach (its sources the sharer may
    read): the case's source limits were applied before the policy sees anything.
    `members` gives the records merged under a pinned or cited id (default: itself).
    """

    def ids(entity_id: str) -> Collection[str]:
        return (members or {}).get(entity_id) or [entity_id]

    shared = Shared()
    tainted: set[str] = set()  # entities with a statement that stays home
    for row in rows:
        why = refusal(markings([row.dataset]), allowed)
        if why is None:
            shared.rows.append(row)
        else:
            shared.withheld_statements[(row.entity_id, why)] += 1
            tainted.add(row.entity_id)
    leaving = {row.entity_id for row in shared.rows}
    sent = {row.id for row in shared.rows}
    for pin in pins:
        if any(m in leaving for m in ids(pin.entity_id)):
            shared.pins.append(pin)
        else:
            hidden = any(m in tainted for m in ids(pin.entity_id))
            reason = "its statements are withheld" if hidden else OUT_OF_REACH
            shared.withheld_pins[pin.entity_id] = reason
    for note in notes:
        if any(s not in sent for s in note.statements):
            shared.withheld_notes[note.id] = "cites a statement that is withheld or out of reach"
        elif any(m in tainted for e in note.entities for m in ids(e)) or not all(
            any(m in leaving for m in ids(e)) for e in note.entities
        ):
            shared.withheld_notes[note.id] = "cites an entity not shared whole"
        else:
            shared.notes.append(note)
    return shared
