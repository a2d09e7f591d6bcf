"""A witness's cosignature of a checkpoint, and the checkpoint's signed part on the wire.

After C2SP tlog-cosignature: the witness signs a header line with the time it saw the
checkpoint, followed by the checkpoint's own signed bytes. It vouches that this tree
head extends every head of the same log it cosigned before, so a log that is later
cut short or rewritten can no longer match what the witness holds.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from threadline.audit.checkpoint import Checkpoint
from threadline.audit.keys import verify_signature

FORMAT = "threadline-audit-cosignature/v1"


def head_to_wire(checkpoint: Checkpoint) -> dict[str, Any]:
    """The signed part of a checkpoint (no leaf hashes) as JSON values."""
    return {
        "size": checkpoint.size,
        "root": checkpoint.root.hex(),
        "time": checkpoint.time,
        "key_id": checkpoint.key_id,
        "signature": base64.b64encode(checkpoint.signature).decode(),
    }


def head_from_wire(data: Any) -> Checkpoint:
    """A checkpoint's signed part read back; raises ValueError if malformed."""
    try:
        size = int(data["size"])
        root = bytes.fromhex(data["root"])
        if size < 0 or len(root) != 32:
            raise ValueError("size or root out of range")
        return Checkpoint(
            size=size,
            root=root,
            time=str(data["time"]),
            key_id=str(data["key_id"]),
            signature=base64.b64decode(data["signature"], validate=True),
            # A head alone: it carries no leaf hashes, and none of them start before it.
            first=size,
            leaves=(),
            frontier=(),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"malformed checkpoint: {error}") from error


@dataclass(frozen=True)
class Cosignature:
    """A witness key's signature over a checkpoint and the time it saw it (Unix seconds)."""

    key_id: str
    time: int
    signature: bytes

    @staticmethod
    def message(checkpoint: Checkpoint, time: int) -> bytes:
        """The bytes a cosignature covers."""
        return f"{FORMAT}\ntime {time}\n".encode() + checkpoint.signed_message()

    def ok(self, public: Ed25519PublicKey, checkpoint: Checkpoint) -> bool:
        """Whether `public` made this cosignature of `checkpoint`."""
        return verify_signature(public, self.signature, self.message(checkpoint, self.time))

    def to_wire(self) -> dict[str, Any]:
        """The cosignature as JSON values."""
        return {
            "key_id": self.key_id,
            "time": self.time,
            "signature": base64.b64encode(self.signature).decode(),
        }

    @classmethod
    def from_wire(cls, data: Any) -> Cosignature:
        """A cosignature read back; raises ValueError if malformed."""
        try:
            return cls(
                key_id=str(data["key_id"]),
                time=int(data["time"]),
                signature=base64.b64decode(data["signature"], validate=True),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"malformed cosignature: {error}") from error
