"""Every holder of what was found: the entities whose values give the keys (and the
e-mail addresses, phone numbers, IBANs) that hits in some texts were found by.

A scan of a few documents need not read every known name to find what a scan of
every name would: only the holders of what occurs in those documents count, since a
hit's entities, its confidence (shared by its holders) and whether it is evidence at
all (at most `MAX_HOLDERS`) depend on them alone. Finding them among a million values
by folding each costs a minute; `may_hold` first asks whether the longest word of a
found key (every word, if all are short: "ltd" may read "Limited" in the value), or
the tail of a found number, is in the value as it folds, which is cheap, and folds
only the values that pass. A name whose longest word is a legal form spelled out
otherwise, longer than `SHORT` letters, would be missed: none is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick  # type: ignore[import-not-found]  # pyahocorasick ships no type stubs

from threadline.mentions.finder import Row, prop_format
from threadline.mentions.keys import Key, identifier_key, name_keys
from threadline.mentions.matcher import IDENTIFIER, NAME, Hit
from threadline.mentions.patterns import EMAIL, IBAN, PHONE, clean
from threadline.mentions.tokens import tokenize
from threadline.search.text import fold

TAIL = 6  # characters of a found number's end that any spelling of it holds
SHORT = 4  # a key's longest word this short may be a legal form: every word is a needle
_NOT_ALNUM = re.compile(r"[\W_]+")


def _needles(key: Key) -> tuple[str, ...]:
    """The words of a key that a value giving it holds as it folds: its longest, which
    is a word of the name itself; or, if that is short enough to be a legal form as
    search compares them ("ltd" in "X Limited"), every word."""
    longest = max(key, key=len)
    return (longest,) if len(longest) > SHORT else key


def _alnum(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


class Holders:
    """What hits were found by, and a test of whether a value gives one of them."""

    def __init__(self) -> None:
        self.keys: set[Key] = set()
        self.values: set[tuple[str, str]] = set()  # (kind, clean value) found by pattern
        self._words = ahocorasick.Automaton()
        self._tails = ahocorasick.Automaton()
        self._built = False

    def add(self, hits: Iterable[tuple[Hit, str | None]]) -> None:
        """Hits as `Finder.hits` gives them (with the clean value of a pattern's)."""
        for hit, value in hits:
            if hit.kind in (NAME, IDENTIFIER):
                self.keys.add(tuple(tokenize(hit.text).words))
            elif value is not None:
                self.values.add((hit.kind, value))
        self._built = False

    def _build(self) -> None:
        for key in self.keys:
            for word in _needles(key):
                self._words.add_word(word, word)
        for _, value in self.values:
            tail = _alnum(value)[-TAIL:]
            self._tails.add_word(tail, tail)
        for automaton in (self._words, self._tails):
            if len(automaton):
                automaton.make_automaton()
        self._built = True

    def __bool__(self) -> bool:
        return bool(self.keys or self.values)

    def may_hold(self, row: Row) -> bool:
        """Whether this value (as the store's scans give it) gives one of the keys or
        values found: exact, after a cheap first test."""
        if not self._built:
            self._build()
        _, schema, prop, prop_type, value, _ = row
        if prop_type in (NAME, IDENTIFIER) and self.keys and self._has(self._words, value):
            if prop_type == NAME and name_keys(value) & self.keys:
                return True
            if prop_type == IDENTIFIER and identifier_key(value) in self.keys:
                return True
        iban = prop_type == IDENTIFIER and prop_format(schema, prop) == IBAN
        kind = IBAN if iban else prop_type
        if kind in (EMAIL, PHONE, IBAN) and self.values and self._has(self._tails, value, True):
            return (kind, clean(kind, value) or "") in self.values
        return False

    @staticmethod
    def _has(automaton: ahocorasick.Automaton, value: str, alnum: bool = False) -> bool:
        if not len(automaton):
            return False
        folded = value.lower() if value.isascii() else fold(value)
        text = _alnum(folded) if alnum else folded
        return next(automaton.iter(text), None) is not None
