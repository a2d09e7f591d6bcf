"""A witness: countersigns a log's checkpoints, each only if it extends the last one seen.

It runs apart from the log (another disk, user or host), with its own key and state
folder, and trusts only the log keys its operator named. It follows C2SP tlog-witness:
a client sends a checkpoint with a consistency proof from the size the witness last
saw; a wrong old size is a conflict answered with the right one, a proof that does not
hold is refused, and nothing that fails is stored. Once the witness holds a head, a
log cut short below it or rewritten beneath it no longer matches.

State folder: `key/` (the witness's signing key, 0600), `latest.json` (the last
cosigned checkpoint) and `history.jsonl` (every one, oldest first).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from threadline.audit.checkpoint import Checkpoint
from threadline.audit.cosignature import Cosignature, head_from_wire, head_to_wire
from threadline.audit.errors import AuditError
from threadline.audit.keys import Keyring, key_id, private_dir, write_private
from threadline.audit.merkle import EMPTY_ROOT, verify_consistency
from threadline.audit.trust import TrustedKeys

LATEST = "latest.json"
HISTORY = "history.jsonl"


class WitnessRefusal(AuditError):
    """The witness will not cosign: `status` is the HTTP status that says why."""

    def __init__(self, status: int, message: str, size: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.size = size  # for a conflict: the size the witness last saw


class Witness:
    """The witness's key and its record of the log's latest cosigned head."""

    def __init__(self, state: Path, log_keys: TrustedKeys) -> None:
        self.state = private_dir(state)
        self.log_keys = log_keys
        self.keyring = Keyring(state / "key")
        self._lock = threading.Lock()
        self._latest = self._load()

    def _load(self) -> tuple[Checkpoint, Cosignature] | None:
        path = self.state / LATEST
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_bytes())
            return head_from_wire(data["checkpoint"]), Cosignature.from_wire(data["cosignature"])
        except (OSError, KeyError, TypeError, ValueError) as error:
            raise AuditError(f"{path}: the witness's state is unreadable ({error})") from error

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The key that makes this witness's cosignatures."""
        return self.keyring.current_public()

    def latest(self) -> tuple[Checkpoint, Cosignature] | None:
        """The last cosigned checkpoint and its cosignature, if any."""
        return self._latest

    def add(
        self,
        old: int,
        proof: Sequence[bytes],
        checkpoint: Checkpoint,
        log_key: Ed25519PublicKey,
    ) -> Cosignature:
        """Cosign `checkpoint` if `old` is the size last seen and `proof` shows it extends it."""
        if not self.log_keys.trusts(log_key) or key_id(log_key) != checkpoint.key_id:
            raise WitnessRefusal(403, f"checkpoint signed by key {checkpoint.key_id}, not trusted")
        if not checkpoint.signature_ok({checkpoint.key_id: log_key}):
            raise WitnessRefusal(403, "the checkpoint's signature does not verify")
        with self._lock:
            last = self._latest[0] if self._latest else None
            seen = last.size if last else 0
            if old != seen:
                raise WitnessRefusal(409, f"the witness last saw size {seen}, not {old}", seen)
            if checkpoint.size < seen:
                raise WitnessRefusal(400, f"size {checkpoint.size} is smaller than {seen}")
            old_root = last.root if last else EMPTY_ROOT
            if not verify_consistency(seen, checkpoint.size, old_root, checkpoint.root, proof):
                raise WitnessRefusal(
                    422, f"the checkpoint of size {checkpoint.size} does not extend size {seen}"
                )
            now = int(time.time())
            signed_by, signature = self.keyring.sign(Cosignature.message(checkpoint, now))
            cosignature = Cosignature(signed_by, now, signature)
            self._store(checkpoint, cosignature)
            self._latest = (checkpoint, cosignature)
            return cosignature

    def _store(self, checkpoint: Checkpoint, cosignature: Cosignature) -> None:
        record: dict[str, Any] = {
            "checkpoint": head_to_wire(checkpoint),
            "cosignature": cosignature.to_wire(),
        }
        line = json.dumps(record, sort_keys=True)
        try:
            fd = os.open(self.state / HISTORY, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a") as history:
                history.write(line + "\n")
                history.flush()
                os.fsync(history.fileno())
            write_private(self.state / LATEST, line.encode())
        except OSError as error:
            raise WitnessRefusal(
                500, f"the witness could not store the checkpoint: {error}"
            ) from error
