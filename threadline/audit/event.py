"""Typed audit events and their canonical bytes in the clear (format 1).

An event's bytes must never change once written: a verifier years later re-hashes them.
So the serialisation is fixed here (sorted keys, no spaces, UTF-8, a format version),
and an event is rebuilt from those bytes, never re-serialised for comparison. The log
now stores events sealed (`threadline.audit.seal`, format 2), whose erasable values sit
beside the hashed bytes; format 1 is still read, from logs written before.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

FORMAT_VERSION = 1
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


class ActionKind(StrEnum):
    """What an action does with data, in the terms of data-protection accountability."""

    COLLECTION = "collection"
    ALTERATION = "alteration"
    CONSULTATION = "consultation"
    DISCLOSURE = "disclosure"
    COMBINATION = "combination"
    ERASURE = "erasure"


def utc_timestamp(moment: datetime | None = None) -> str:
    """A UTC time as ISO 8601 with microseconds and `Z`, the only form events carry."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One attributable action: who did what to which objects, why, and how it ended."""

    actor: str
    kind: ActionKind
    action: str
    object_ids: tuple[str, ...] = ()
    case_id: str | None = None
    purpose: str | None = None
    justification: str = ""
    outcome: str = "ok"
    request_id: str = ""
    time: str = field(default_factory=utc_timestamp)
    # What the action was about beyond its objects, never in the clear if it could
    # hold personal data (a search's text is kept as a salted hash). Left out of the
    # bytes when empty, so events without it keep their original form.
    detail: str = ""
    # The operating-system account behind the local admin (who "local" was), and the
    # exact justification prompt the operator set for this kind of action, if any.
    # Both left out of the bytes when empty, like `detail`.
    os_user: str = ""
    prompt: str = ""

    def __post_init__(self) -> None:
        # Validate at construction so a malformed event never reaches the log.
        if not self.actor:
            raise ValueError("an audit event needs an actor")
        if not self.action:
            raise ValueError("an audit event needs an action verb")
        if not isinstance(self.kind, ActionKind):
            object.__setattr__(self, "kind", ActionKind(self.kind))
        if not isinstance(self.object_ids, tuple):
            object.__setattr__(self, "object_ids", tuple(self.object_ids))
        if not _TIME.fullmatch(self.time):
            raise ValueError(f"audit time must look like 2026-01-01T00:00:00.000000Z: {self.time}")

    def to_dict(self) -> dict[str, Any]:
        """The event as JSON-ready values, with the format version."""
        # By hand rather than dataclasses.asdict, which deep-copies: this runs once
        # per audited call.
        data = {name: getattr(self, name) for name in _FIELDS}
        data["kind"] = self.kind.value
        data["object_ids"] = list(self.object_ids)
        data["v"] = FORMAT_VERSION
        for optional in OPTIONAL:
            if not data[optional]:
                del data[optional]
        return data

    def to_bytes(self) -> bytes:
        """The canonical serialisation: sorted-key compact JSON in UTF-8."""
        return json.dumps(
            self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> AuditEvent:
        """Rebuild an event from its canonical bytes."""
        values = json.loads(data.decode("utf-8"))
        version = values.pop("v", None)
        if version != FORMAT_VERSION:
            raise ValueError(f"unknown audit event format version: {version!r}")
        values["object_ids"] = tuple(values["object_ids"])
        return cls(**values)


_FIELDS = tuple(f.name for f in fields(AuditEvent))
OPTIONAL = ("detail", "os_user", "prompt")
"""Fields left out of an event's bytes when empty, so older events keep their form."""
