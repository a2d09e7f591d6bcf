"""The log's side of a witness: send checkpoints to be cosigned, fetch the latest one.

A witness that cannot be reached does not stop work: the checkpoint is kept in both
local places and `submit` raises `AuditError`, which the checkpointer logs; the next
checkpoint sends a proof from whatever size the witness last saw, so nothing is lost,
and `verify --witness` reports how many entries the witness has not seen yet.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from threadline.audit.checkpoint import Checkpoint
from threadline.audit.cosignature import Cosignature, head_from_wire, head_to_wire
from threadline.audit.errors import AuditError
from threadline.audit.keys import key_id
from threadline.audit.trust import TrustedKeys

# Conflicts in a row before giving up: another process may be submitting too.
ATTEMPTS = 3


@dataclass(frozen=True)
class WitnessedHead:
    """The witness's latest cosigned checkpoint; `trusted` if its key was one the operator
    named (else the cosignature was only checked against the key the witness sent)."""

    checkpoint: Checkpoint
    cosignature: Cosignature
    trusted: bool


class WitnessClient:
    """Talks to one witness at `url`, whose key is `witness_keys` if the operator named it."""

    def __init__(
        self, url: str, witness_keys: TrustedKeys | None = None, timeout: float = 5.0
    ) -> None:
        self.url = url.rstrip("/")
        self.witness_keys = witness_keys
        self.timeout = timeout
        self._key: Ed25519PublicKey | None = None

    def _call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(
                request, timeout=self.timeout
            ) as response:  # the operator's URL
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            try:
                return error.code, json.loads(error.read())
            except ValueError:
                return error.code, {"error": error.reason}
        except (OSError, ValueError) as error:
            raise AuditError(
                f"the audit witness at {self.url} cannot be reached: {error}"
            ) from error

    def key(self) -> Ed25519PublicKey:
        """The witness's public key, refused if the operator named another."""
        if self._key is None:
            status, body = self._call("GET", "/key")
            try:
                public = serialization.load_pem_public_key(str(body["public_key"]).encode())
            except (KeyError, TypeError, ValueError) as error:
                raise AuditError(
                    f"the audit witness at {self.url} sent no key ({status})"
                ) from error
            if not isinstance(public, Ed25519PublicKey):
                raise AuditError(f"the audit witness at {self.url} sent a key that is not Ed25519")
            if self.witness_keys is not None and not self.witness_keys.trusts(public):
                raise AuditError(
                    f"the audit witness at {self.url} has key {key_id(public)}, not a trusted one"
                )
            self._key = public
        return self._key

    def _check(self, checkpoint: Checkpoint, cosignature: Cosignature) -> None:
        public = self.key()
        if cosignature.key_id != key_id(public) or not cosignature.ok(public, checkpoint):
            raise AuditError(f"the cosignature from {self.url} does not verify")

    def latest(self) -> WitnessedHead | None:
        """The witness's latest cosigned checkpoint (None if it has none), cosignature checked."""
        status, body = self._call("GET", "/checkpoint")
        if status == 404:
            return None
        if status != 200:
            raise AuditError(f"the audit witness at {self.url} answered {status}: {body}")
        try:
            head = head_from_wire(body["checkpoint"])
            cosignature = Cosignature.from_wire(body["cosignature"])
        except (KeyError, TypeError, ValueError) as error:
            raise AuditError(f"the audit witness at {self.url} sent {error}") from error
        self._check(head, cosignature)
        return WitnessedHead(head, cosignature, self.witness_keys is not None)

    def submit(
        self, checkpoint: Checkpoint, log_key_pem: bytes, prove: Callable[[int], list[bytes]]
    ) -> Cosignature:
        """Have `checkpoint` cosigned; `prove(old)` gives the consistency proof from size
        `old`. Raises `AuditError` if it is refused or the witness cannot be reached."""
        old = checkpoint.first  # usually the checkpoint the witness saw last
        for _ in range(ATTEMPTS):
            if old > checkpoint.size:
                # Another process may have sent a later one; or this log was cut short.
                raise AuditError(
                    f"the audit witness at {self.url} has seen {old} entries, more than "
                    f"this checkpoint's {checkpoint.size}; run: threadline audit verify"
                )
            body = {
                "old": old,
                "proof": [node.hex() for node in prove(old)],
                "checkpoint": head_to_wire(checkpoint),
                "public_key": log_key_pem.decode(),
            }
            status, answer = self._call("POST", "/add-checkpoint", body)
            if status == 409 and isinstance(answer, dict) and "size" in answer:
                old = int(answer["size"])
                continue
            if status != 200:
                error = answer.get("error") if isinstance(answer, dict) else answer
                raise AuditError(
                    f"the audit witness at {self.url} refused checkpoint {checkpoint.size} "
                    f"({status}): {error}"
                )
            try:
                cosignature = Cosignature.from_wire(answer["cosignature"])
            except (KeyError, TypeError, ValueError) as error:
                raise AuditError(f"the audit witness at {self.url} sent {error}") from error
            self._check(checkpoint, cosignature)
            return cosignature
        raise AuditError(f"the audit witness at {self.url} kept answering with another size")
