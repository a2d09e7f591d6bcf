"""Citations in note text: `[[stmt:<statement id>]]` and `[[entity:<entity id>]]`.

Statement ids are hashes that never change, so a cited statement is the exact fact the
author saw, with its source file and row. Entity citations point at an id whose
contents can grow as more sources arrive.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

STATEMENT = "stmt"
ENTITY = "entity"
PATTERN = re.compile(r"\[\[(stmt|entity):([^\[\]\s]+)\]\]")

# Given cited ids, answers which of them exist (and are within the case's reach);
# the caller does the lookup, so parsing and checking a note does no I/O.
KnownIds = Callable[[frozenset[str]], Collection[str]]


@dataclass(frozen=True, slots=True)
class Citations:
    """The ids a text cites, each once, in order of first appearance."""

    statements: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()


def cite(kind: str, target: str) -> str:
    """The citation markup for a statement (`stmt`) or an entity (`entity`) id."""
    if kind not in (STATEMENT, ENTITY):
        raise ValueError(f"citation kind must be {STATEMENT!r} or {ENTITY!r}")
    return f"[[{kind}:{target}]]"


def iter_citations(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, kind, id) of every citation in the text, in order."""
    for match in PATTERN.finditer(text):
        yield match.start(), match.end(), match.group(1), match.group(2)


def parse_citations(text: str) -> Citations:
    """The statement and entity ids a text cites."""
    statements: dict[str, None] = {}
    entities: dict[str, None] = {}
    for _start, _end, kind, target in iter_citations(text):
        (statements if kind == STATEMENT else entities)[target] = None
    return Citations(tuple(statements), tuple(entities))
