"""The audit log as rows of text, for a CSV export: one row an event, oldest first."""

from __future__ import annotations

from threadline.audit.query import Listed

HEADER = (
    "index",
    "time",
    "actor",
    "kind",
    "action",
    "object_ids",
    "case_id",
    "purpose",
    "justification",
    "outcome",
    "request_id",
    "detail",
)
ID_SEPARATOR = " "  # ids hold no spaces (`dataset:NAME`, hashes, statement ids)


def event_row(found: Listed) -> tuple[str, ...]:
    """One event's fields in HEADER's order, every one text (none for a missing value)."""
    event = found.event
    return (
        str(found.index),
        event.time,
        event.actor,
        event.kind.value,
        event.action,
        ID_SEPARATOR.join(event.object_ids),
        event.case_id or "",
        event.purpose or "",
        event.justification,
        event.outcome,
        event.request_id,
        event.detail,
    )
