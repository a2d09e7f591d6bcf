"""API tokens: shown once to their owner, stored only as a SHA-256 digest.

A token is 32 random bytes (URL-safe base64) behind a `tl_` prefix, which lets secret
scanners recognise a leaked one. The digest needs no salt: the secret is random, not a
password, so a stolen digest table cannot be reversed by guessing.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "tl_"
TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh random token, to hand to its owner once and never store."""
    return PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """The hex SHA-256 of a token: what the store keeps and looks tokens up by."""
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()
