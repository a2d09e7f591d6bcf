"""Signed checkpoints of the audit log, written to two places on a policy.

A checkpoint signs (size, root, time, key id) with Ed25519. It also carries, unsigned,
the leaf hashes added since the previous checkpoint and the compact tree at its size:
the signed root authenticates both, and with them a verifier can name the exact first
bad entry (not just "somewhere before checkpoint k") and a checkpointer can extend the
tree without trusting the log's older rows. Each checkpoint is one JSON file, written
to the primary place and to a second one (another disk or host).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from threadline.audit.errors import AuditWriteError
from threadline.audit.keys import private_dir, verify_signature

FORMAT = "threadline-audit-checkpoint/v1"
KEYS_DIR = "keys"


@dataclass(frozen=True)
class Checkpoint:
    """A signed tree head, with the leaf hashes it added and its compact tree."""

    size: int
    root: bytes
    time: str
    key_id: str
    signature: bytes
    first: int
    leaves: tuple[bytes, ...]
    frontier: tuple[bytes, ...]

    @staticmethod
    def message(size: int, root: bytes, time: str, key_id: str) -> bytes:
        """The bytes a checkpoint's signature covers."""
        return f"{FORMAT}\n{size}\n{root.hex()}\n{time}\n{key_id}\n".encode()

    def signed_message(self) -> bytes:
        """The bytes this checkpoint's signature covers."""
        return self.message(self.size, self.root, self.time, self.key_id)

    def signature_ok(self, keys: Mapping[str, Ed25519PublicKey]) -> bool:
        """Whether a known key signed this checkpoint."""
        public = keys.get(self.key_id)
        return public is not None and verify_signature(
            public, self.signature, self.signed_message()
        )

    def to_json(self) -> bytes:
        """The checkpoint file's content."""
        data = {
            "format": FORMAT,
            "size": self.size,
            "root": self.root.hex(),
            "time": self.time,
            "key_id": self.key_id,
            "signature": base64.b64encode(self.signature).decode(),
            "first": self.first,
            "leaves": base64.b64encode(b"".join(self.leaves)).decode(),
            "frontier": [node.hex() for node in self.frontier],
        }
        return json.dumps(data, sort_keys=True, indent=1).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Checkpoint:
        """Read a checkpoint file; raises ValueError if it is malformed."""
        try:
            data: dict[str, Any] = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ValueError(f"not a {FORMAT} file")
            leaves = base64.b64decode(data["leaves"], validate=True)
            if len(leaves) % 32:
                raise ValueError("leaf hashes are not 32 bytes each")
            return cls(
                size=int(data["size"]),
                root=bytes.fromhex(data["root"]),
                time=str(data["time"]),
                key_id=str(data["key_id"]),
                signature=base64.b64decode(data["signature"], validate=True),
                first=int(data["first"]),
                leaves=tuple(leaves[i : i + 32] for i in range(0, len(leaves), 32)),
                frontier=tuple(bytes.fromhex(node) for node in data["frontier"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"malformed checkpoint: {error}") from error


@dataclass(frozen=True)
class CheckpointPolicy:
    """When to checkpoint: after this many new entries, or this long after the last one."""

    every_entries: int = 1000
    every: timedelta = timedelta(minutes=10)

    def due(self, pending: int, elapsed: timedelta) -> bool:
        """Whether `pending` unsigned entries, `elapsed` after the last checkpoint, need one."""
        return pending >= self.every_entries or (pending > 0 and elapsed >= self.every)


def _write_file(path: Path, data: bytes) -> None:
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    # Owner-only like the rest of the data directory (0700 folders, 0600 files).
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def checkpoint_name(size: int) -> str:
    """The file name of the checkpoint at a tree size; it sorts by size."""
    return f"{size:012d}.json"


@dataclass(frozen=True)
class CheckpointPlaces:
    """The primary checkpoint directory and the second copy (`checkpoint_dir`)."""

    primary: Path
    second: Path | None = None

    def all(self) -> list[Path]:
        """Every place, primary first."""
        return [self.primary] if self.second is None else [self.primary, self.second]

    def write(self, checkpoint: Checkpoint, public_pem: bytes) -> None:
        """Write a checkpoint, and the public key that verifies it, to every place."""
        for place in self.all():
            try:
                key_file = place / KEYS_DIR / f"{checkpoint.key_id}.pem"
                if not key_file.exists():
                    _write_file(key_file, public_pem)
                _write_file(place / checkpoint_name(checkpoint.size), checkpoint.to_json())
            except OSError as error:
                raise AuditWriteError(f"checkpoint not written to {place}: {error}") from error

    def read(self, place: Path) -> dict[int, Checkpoint | str]:
        """The checkpoints in one place by size; an unreadable file maps to its error."""
        found: dict[int, Checkpoint | str] = {}
        for path in sorted(place.glob("*.json")) if place.is_dir() else []:
            if not path.stem.isdigit():
                continue
            try:
                found[int(path.stem)] = Checkpoint.from_json(path.read_bytes())
            except (OSError, ValueError) as error:
                found[int(path.stem)] = f"{path}: {error}"
        return found

    def get(self, size: int) -> Checkpoint | None:
        """The readable checkpoint of this size in the primary place, if there is one."""
        try:
            return Checkpoint.from_json((self.primary / checkpoint_name(size)).read_bytes())
        except (OSError, ValueError):
            return None

    def latest(self) -> Checkpoint | None:
        """The largest readable checkpoint in the primary place."""
        readable = [c for c in self.read(self.primary).values() if isinstance(c, Checkpoint)]
        return max(readable, key=lambda c: c.size, default=None)


def parse_time(value: str) -> datetime:
    """A checkpoint's time as an aware datetime."""
    return datetime.fromisoformat(value)
