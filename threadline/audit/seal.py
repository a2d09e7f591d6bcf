"""Sealed audit entries: erasable values beside a hashed frame that commits to each one.

Erasure and an immutable log pull apart: a leaf hash over an event's bytes forbids
deleting an erased person's id from them. So, as RFC 9162-style logs do for data that
may have to go, the log hashes a *frame* that holds, for each erasable value (every
object id, the purpose, the justification, the detail, the reason of an outcome), only
a commitment SHA-256(domain || salt || slot || 0x00 || value) with a random 16-byte salt
per value. Values and salts are stored apart. Erasure deletes a value with its salt;
the frame, its leaf hash and every signed checkpoint stay valid, and without the salt
the commitment cannot be tested against guessed ids.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from threadline.audit.event import AuditEvent
from threadline.audit.merkle import leaf_hash

FORMAT_VERSION = 2
DOMAIN = b"threadline.audit.value.v2\x00"
SALT_BYTES = 16
ERASED = "(erased)"
"""What an erased value reads as."""
ID = "id."
"""Slots of object ids are `id.0`, `id.1`...; the other slots hold free text."""
TEXT_SLOTS = ("purpose", "justification", "detail", "reason")


@dataclass(frozen=True, slots=True)
class SealedValue:
    """One erasable value and the salt of its commitment."""

    salt: bytes
    value: str


Values = Mapping[str, SealedValue]


@dataclass(frozen=True, slots=True)
class Sealed:
    """An event as the log stores it: the hashed frame and its erasable values."""

    frame: bytes
    values: dict[str, SealedValue]

    @property
    def leaf(self) -> bytes:
        """The leaf hash (the values are fresh, so they match the frame)."""
        return leaf_hash(self.frame)


def commit(slot: str, salt: bytes, value: str) -> str:
    """The hex commitment to one value in its slot."""
    data = DOMAIN + salt + slot.encode("utf-8") + b"\x00" + value.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _canonical(frame: Any) -> bytes:
    return json.dumps(frame, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def seal(event: AuditEvent, salts: bytes | None = None) -> Sealed:
    """The frame and values of an event; `salts` (16 bytes a value) only for tests."""
    clear = {f"{ID}{i}": value for i, value in enumerate(event.object_ids)}
    frame = event.to_dict()
    for name in ("object_ids", "purpose", "justification", "detail"):
        value = frame.pop(name, None)
        if name != "object_ids" and value is not None and (value or name == "purpose"):
            clear[name] = value
    status, colon, reason = event.outcome.partition(": ")
    if colon:  # the reason of a refusal or failure may quote an id
        frame["outcome"], clear["reason"] = status, reason
    salts = salts if salts is not None else secrets.token_bytes(SALT_BYTES * len(clear))
    values = {
        slot: SealedValue(salts[i * SALT_BYTES : (i + 1) * SALT_BYTES], value)
        for i, (slot, value) in enumerate(clear.items())
    }
    frame["sealed"] = {slot: commit(slot, v.salt, v.value) for slot, v in values.items()}
    frame["v"] = FORMAT_VERSION
    return Sealed(_canonical(frame), values)


def unseal(data: bytes, values: Values) -> AuditEvent:
    """The event of stored bytes and their remaining values; erased ones read `(erased)`."""
    frame = json.loads(data.decode("utf-8"))
    if isinstance(frame, dict) and frame.get("v") == 1:
        return AuditEvent.from_bytes(data)
    if not isinstance(frame, dict) or frame.pop("v", None) != FORMAT_VERSION:
        raise ValueError("unknown audit entry format")
    sealed: dict[str, str] = frame.pop("sealed")

    def clear(slot: str) -> str:
        found = values.get(slot)
        return found.value if found is not None else ERASED

    ids = sorted((s for s in sealed if s.startswith(ID)), key=lambda s: int(s[len(ID) :]))
    frame["object_ids"] = tuple(clear(slot) for slot in ids)
    frame["purpose"] = clear("purpose") if "purpose" in sealed else None
    for name in ("justification", "detail"):
        frame[name] = clear(name) if name in sealed else ""
    if "reason" in sealed:
        frame["outcome"] = f"{frame['outcome']}: {clear('reason')}"
    return AuditEvent(**frame)


def entry_leaf_hash(data: bytes, values: Values) -> bytes:
    """The leaf hash of a stored entry: of its frame, as its remaining values commit to it.

    The one place a stored entry's leaf is computed (verify and the checkpointer call
    it). An erased value is simply absent and its commitment stands. A value that does
    not match its commitment, or has no slot in the frame, gives the hash of the frame
    those values would need, so the entry fails verification like altered bytes do.
    """
    if not values:
        return leaf_hash(data)
    try:
        frame = json.loads(data.decode("utf-8"))
    except ValueError:
        frame = None
    sealed = frame.get("sealed") if isinstance(frame, dict) else None
    claimed = dict(sealed) if isinstance(sealed, dict) else {}
    claimed.update({slot: commit(slot, v.salt, v.value) for slot, v in values.items()})
    if claimed == sealed:
        return leaf_hash(data)
    return leaf_hash(_canonical({"frame": data.hex(), "sealed": claimed}))


def folded(needles: Collection[str]) -> frozenset[str]:
    """Needles as `erases` takes them: case-folded, empty ones dropped."""
    return frozenset(n.casefold() for n in needles if n)


def erases(slot: str, value: str, ids: Collection[str], needles: Collection[str]) -> bool:
    """Whether erasing `ids` (and free text naming `needles`, `folded`) removes this
    value: an object id equal to one, or free text containing one."""
    if slot.startswith(ID):
        return value in ids
    folded = value.casefold()
    return any(needle in folded for needle in needles)
