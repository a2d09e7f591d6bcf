"""E-mail addresses, phone numbers and IBANs: found in text by pattern, cleaned with
followthemoney's types, and linked to the entities that hold the same clean value.

A pattern finds candidates generously; followthemoney's cleaning decides (an IBAN
must pass its checksum, an address must have a valid domain). Phone numbers are found
only in international form (`+49 30 1234567`): a national number needs the country it
is dialed in, which a document does not say.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from followthemoney.types import registry

from threadline.mentions.matcher import Hit, Target

EMAIL = "email"
PHONE = "phone"
IBAN = "iban"

_PATTERNS = {
    EMAIL: re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    PHONE: re.compile(r"(?<![\w+])\+\d[\d ()./-]{5,20}\d(?!\d)"),
    IBAN: re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])"),
}

_MARK = {EMAIL: "@", PHONE: "+"}  # a text without it has none: the pattern is not run


def clean(kind: str, value: str) -> str | None:
    """The value as followthemoney keeps it, or None if it is not one."""
    if kind == EMAIL:
        cleaned = registry.email.clean(value)
        return cleaned.lower() if cleaned else None  # the local part's case is not kept apart
    if kind == PHONE:
        return registry.phone.clean(value)
    if kind == IBAN:
        return registry.identifier.clean(value, format="iban")
    raise ValueError(f"no pattern for {kind!r}")


def address_spans(text: str) -> list[tuple[int, int]]:
    """Where e-mail addresses are in a text: names inside them ("info@halcyon-crest.com")
    are not mentions of their own."""
    if "@" not in text:
        return []
    return [m.span() for m in _PATTERNS[EMAIL].finditer(text)]


class Identifiers:
    """Known e-mail addresses, phone numbers and IBANs, and their entities."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], set[Target]] = {}
        self._cached: list[str] | None = None

    def add(self, kind: str, value: str, target: Target) -> None:
        """A value `target` holds (of the property type `kind`), if it cleans."""
        cleaned = clean(kind, value)
        if cleaned is not None:
            self._known.setdefault((kind, cleaned), set()).add(target)
            self._cached = None

    def _kinds(self) -> list[str]:
        if self._cached is None:
            self._cached = sorted({kind for kind, _ in self._known})
        return self._cached

    def __len__(self) -> int:
        return len(self._known)

    def find(self, text: str) -> Iterator[tuple[Hit, str]]:
        """Each known value found in `text`, with its clean form."""
        if not self._known:
            return
        for kind in self._kinds():
            if kind in _MARK and _MARK[kind] not in text:
                continue
            for match in _PATTERNS[kind].finditer(text):
                cleaned = clean(kind, match.group())
                holders = self._known.get((kind, cleaned)) if cleaned else None
                if holders:
                    ordered = tuple(sorted(holders, key=lambda t: t.entity_id))
                    start, end = match.span()
                    yield Hit(start, end, match.group(), kind, 1, ordered), str(cleaned)
