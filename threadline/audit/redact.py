"""Salted hashes of values the audit log must not keep in the clear (after an erasure).

The salt is secret and per log, kept beside the signing key: without it, a hash of a
name or a phone number could be reversed by hashing guesses. With it, the same value
still gives the same hash, so an erased entity's audit trail stays linkable.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from threadline.audit.errors import AuditError
from threadline.audit.keys import create_private, read_private

SALT_FILE = "salt"
SALT_BYTES = 32
PREFIX = "sha256:"


def load_salt(directory: Path) -> bytes:
    """The log's salt in the key directory, created (mode 0600) on first use."""
    path = directory / SALT_FILE
    if path.exists():
        salt = read_private(path)
    else:
        # Created once, whichever process of a server comes first: all hash with one salt.
        salt = create_private(path, secrets.token_bytes(SALT_BYTES))
    if len(salt) != SALT_BYTES:
        raise AuditError(f"{path} does not hold a {SALT_BYTES}-byte salt")
    return salt


def redact(value: str | bytes, salt: bytes) -> str:
    """`sha256:` and the hex of SHA-256(salt || value), value UTF-8 encoded."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    return PREFIX + hashlib.sha256(salt + data).hexdigest()
