"""Where a tip names a person: a person's values (names, e-mail addresses, phone
numbers...) looked for in a tip's text, rejection reason and file names, and blanked
there by an erasure.

A value is found where its first word starts a word of the text and the whole value
follows, ignoring case: "Maria Lopez" is in "ask maria lopez's brother" but "Ann" is
not in "Annual". Values are indexed by their first two words, so looking for the
hundreds of thousands of values of an erased collection costs two dictionary look-ups
per word of a tip, not a search per value.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from threadline.tips.records import Tip

WORD = re.compile(r"\w+")
ERASED = "[erased]"


class Needles:
    """A person's values, ready to be found in text."""

    def __init__(self, values: Iterable[str]) -> None:
        # By their first two words (a common first name alone would gather thousands),
        # or their one word; values without a letter or digit are looked for anywhere.
        self.by_words: dict[tuple[str, ...], list[tuple[str, int]]] = {}
        self.wordless: list[str] = []
        for value in {v.lower() for v in values if v.strip()}:
            words = list(WORD.finditer(value))
            if not words:
                self.wordless.append(value)
                continue
            key = tuple(w.group() for w in words[:2])
            self.by_words.setdefault(key, []).append((value, words[0].start()))

    def __bool__(self) -> bool:
        return bool(self.by_words or self.wordless)

    def found(self, text: str) -> set[str]:
        """The values (lower case) this text holds."""
        low = text.lower()
        hits = {v for v in self.wordless if v in low}
        words = list(WORD.finditer(low))
        for n, word in enumerate(words):
            keys: list[tuple[str, ...]] = [(word.group(),)]
            if n + 1 < len(words):
                keys.append((word.group(), words[n + 1].group()))
            for key in keys:
                for value, lead in self.by_words.get(key, ()):
                    start = word.start() - lead
                    if start >= 0 and low.startswith(value, start):
                        hits.add(value)
        return hits


def naming(tip: Tip, needles: Needles, addresses: Collection[str]) -> tuple[list[str], set[str]]:
    """The fields of a tip that name a person (`text`, `reason`, `file name`,
    `address`), and the values found in them."""
    fields: list[str] = []
    values: set[str] = set()
    for field, texts in (
        ("text", [tip.text]),
        ("reason", [tip.reason]),
        ("file name", [f.name for f in tip.files]),
    ):
        hits = set().union(*(needles.found(t) for t in texts)) if texts else set()
        if hits:
            fields.append(field)
            values |= hits
    if tip.client is not None and tip.client in addresses:
        fields.append("address")
    return fields, values


def blank(text: str, values: Collection[str]) -> str:
    """`text` with every occurrence of any of `values` (ignoring case) as `[erased]`."""
    wanted = sorted((v for v in values if v), key=len, reverse=True)  # longest first
    if not wanted or not text:
        return text
    pattern = re.compile("|".join(re.escape(v) for v in wanted), re.IGNORECASE)
    return pattern.sub(ERASED, text)
