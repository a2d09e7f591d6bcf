"""Password hashes for local accounts: argon2id, through argon2-cffi.

Only the hash is stored. Its parameters travel inside it, so hashes made with older
parameters still verify and are upgraded at the next good login (`needs_rehash`).
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from threadline.access.errors import AccessError

MIN_LENGTH = 10
_HASHER = PasswordHasher()


def check_strength(password: str) -> str:
    """A password long enough to resist guessing; a clear error otherwise."""
    if len(password) < MIN_LENGTH:
        raise AccessError(f"a password needs at least {MIN_LENGTH} characters")
    return password


def hash_password(password: str) -> str:
    """The argon2id hash of a password (salted; its parameters are inside it)."""
    return _HASHER.hash(check_strength(password))


def verify_password(stored: str, password: str) -> bool:
    """Whether `password` matches the stored hash; False on any mismatch or bad hash."""
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """The hash of a random password nobody knows, made once with today's parameters.

    Sign-in verifies against it when a name is unknown or has no password, so that
    takes the same work as a wrong password (made on first use, not at import).
    """
    return _HASHER.hash(secrets.token_urlsafe(24))


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(stored)
