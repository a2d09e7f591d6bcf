"""The mention finder: Aho-Corasick over the keys of known names and identifiers.

Matching is on whole tokens. Each distinct token of a key is given a code of three
characters, a key is the string of its tokens' codes, and a text becomes the string
of its tokens' codes (a token no key has becomes a code no key contains). One pass
of the automaton (pyahocorasick, in C) then finds every key at token boundaries:
"Sokolov" never matches inside "Sokolova", and no offset arithmetic on folded text
is needed, since a match is a run of tokens whose spans are known.

Why three characters: pyahocorasick looks a node's children up one by one, so one
character per token (a million children at the root) made it 60 times slower. Each
character of a code comes from its own range of 128, so no node has more than 128
children, codes cannot match out of step, and 2,097,152 distinct words fit.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import NamedTuple

import ahocorasick  # type: ignore[import-not-found]  # pyahocorasick ships no type stubs

from threadline.mentions.keys import MAX_HOLDERS, Key, identifier_key, name_keys
from threadline.mentions.tokens import tokenize

NAME = "name"
IDENTIFIER = "identifier"
_WIDTH = 3  # characters per token code
_DIGITS = (0x100, 0x180, 0x200)  # the three ranges of 128 characters a code is made of
_UNKNOWN = "\x00" * _WIDTH


class Target(NamedTuple):
    """An entity a key points at: its id, schema and dataset."""

    entity_id: str
    schema: str
    dataset: str


@dataclass(frozen=True)
class Hit:
    """A key found in a text: where (offsets in the text), what, and which entities."""

    start: int
    end: int
    text: str
    kind: str
    words: int
    targets: tuple[Target, ...]


class Matcher:
    """Collects names and identifiers with their entities, then finds them in text.

    Memory is what limits the number of names (a million names make two million keys),
    so the automaton itself is the table of keys: it stores each key's number, and
    compact arrays hold each key's length, kind and entity (or shared list of them).
    """

    def __init__(self) -> None:
        self._chars: dict[str, str] = {}
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._built = False
        self._targets: list[Target] = []
        self._lengths = array("H")  # per key: its number of tokens
        self._kinds = bytearray()  # per key: 0 name, 1 identifier
        self._refs = array("q")  # per key: a target, or -1 - its place in `_shared`
        self._shared: list[list[int]] = []

    def add_name(self, name: str, target: Target) -> None:
        """A name (or alias) of `target`, under every key that is evidence."""
        for key in name_keys(name):
            self._add(key, 0, target)

    def add_identifier(self, value: str, target: Target) -> None:
        """An identifier of `target` (a registration or tax number...)."""
        key = identifier_key(value)
        if key is not None:
            self._add(key, 1, target)

    def _add(self, key: Key, kind: int, target: Target) -> None:
        if self._built:
            raise RuntimeError("the matcher is built; add before the first find")
        targets = self._targets
        # Values come entity by entity: the same target as the last is not kept twice.
        if not targets or targets[-1] != target:
            targets.append(target)
        position = len(targets) - 1
        chars = "".join([self._char(token) for token in key])
        number = self._automaton.get(chars, None)
        if number is None:
            self._automaton.add_word(chars, len(self._refs))
            self._lengths.append(len(key))
            self._kinds.append(kind)
            self._refs.append(position)
            return
        ref = self._refs[number]
        if ref >= 0:
            if targets[ref] == target:
                return
            self._refs[number] = -1 - len(self._shared)
            self._shared.append([ref])
            ref = self._refs[number]
        shared = self._shared[-1 - ref]
        if len(shared) <= MAX_HOLDERS and position not in shared:
            shared.append(position)

    def _char(self, token: str) -> str:
        code = self._chars.get(token)
        if code is None:
            number = len(self._chars)
            if number >= 128**_WIDTH:
                raise ValueError("too many distinct words among the known names")
            high, middle, low = number >> 14, (number >> 7) & 127, number & 127
            code = chr(_DIGITS[0] + high) + chr(_DIGITS[1] + middle) + chr(_DIGITS[2] + low)
            self._chars[token] = code
        return code

    def build(self) -> int:
        """Make the automaton; returns the number of keys that are evidence (held by
        at most `MAX_HOLDERS` entities)."""
        if not self._built:
            self._built = True
            if len(self._refs):
                self._automaton.make_automaton()
        common = sum(
            1 for s in self._shared if len({self._targets[p].entity_id for p in s}) > MAX_HOLDERS
        )
        return len(self._refs) - common

    def _holders(self, number: int) -> tuple[Target, ...]:
        ref = self._refs[number]
        if ref >= 0:
            return (self._targets[ref],)
        found = {self._targets[p] for p in self._shared[-1 - ref]}
        if len({t.entity_id for t in found}) > MAX_HOLDERS:
            return ()  # too common to be evidence for any of them
        return tuple(sorted(found))

    def find(self, text: str) -> Iterator[Hit]:
        """Every key in `text`, at token boundaries, overlapping ones included."""
        if not self._built:
            self.build()
        automaton = self._automaton
        if automaton.kind != ahocorasick.AHOCORASICK:
            return
        tokens = tokenize(text)
        coded = "".join(map(self._chars.get, tokens.words, repeat(_UNKNOWN)))
        matches = list(automaton.iter(coded))
        if not matches:
            return
        lengths = self._lengths
        # The longest of overlapping keys of the same entities ("Halcyon Crest" in
        # "Halcyon Crest Ltd") stands for them: one place, one hit.
        found = [(end // _WIDTH, number) for end, number in matches]
        spans = tokens.spans(max(last for last, _ in found) + 1)
        ordered = sorted(found, key=lambda m: (m[0] - lengths[m[1]], -lengths[m[1]]))
        reach: dict[tuple[Target, ...], int] = {}
        for last, number in ordered:
            holders = self._holders(number)
            if not holders or reach.get(holders, -1) >= last:
                continue
            reach[holders] = last
            length = lengths[number]
            start, end = spans[last - length + 1][0], spans[last][1]
            kind = IDENTIFIER if self._kinds[number] else NAME
            yield Hit(start, end, text[start:end], kind, length, holders)
