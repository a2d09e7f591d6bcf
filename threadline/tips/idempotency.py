"""Idempotency keys of tip submissions: a sender's retry gives back its first tip.

A sender (the form, or a client of `POST /tips`) may name a submission with a key of
its own choosing (`Idempotency-Key`). The tip's id is then derived from the key by
the log's secret salted hash, so the same key always names the same tip, and the
store's primary key makes a second sending, even at the same moment, find the first
instead of adding another. Nothing about the key is stored, and without the salt the
key cannot be found from the id, nor the id guessed from a key.
"""

from __future__ import annotations

from collections.abc import Sequence

from threadline.errors import InputError
from threadline.tips.records import Tip

MAX_KEY_CHARS = 200
FIELD = "Idempotency-Key"


def check_key(key: str) -> str:
    """A key as given: 1 to 200 visible ASCII characters (a UUID fits), or `InputError`."""
    if not key or len(key) > MAX_KEY_CHARS:
        raise InputError(FIELD, f"must be 1 to {MAX_KEY_CHARS} characters")
    if any(not ("!" <= c <= "~") for c in key):
        raise InputError(FIELD, "must be visible ASCII characters only (a UUID, say)")
    return key


def keyed_tip_id(hashed: str) -> str:
    """The tip id of a key from its salted hash (`label=sha256:HEX`): 16 hex digits,
    as random ids have."""
    return hashed.rsplit(":", 1)[-1][:16]


def differs(tip: Tip, text: str, sha256s: Sequence[str]) -> bool:
    """Whether a retry brings other text or files (in order) than the tip it repeats."""
    return tip.text != text.strip() or [f.sha256 for f in tip.files] != list(sha256s)
