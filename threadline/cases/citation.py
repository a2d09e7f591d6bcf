"""Citations in note text: `[[stmt:<statement id>]]`, `[[entity:<entity id>]]` and
`[[doc:<document id>#p<page>]]` (or `[[doc:<document id>]]` for a whole document).

Statement ids are hashes that never change, so a cited statement is the exact fact the
author saw, with its source file and row. Entity citations point at an id whose
contents can grow as more sources arrive. A document citation names a page of a file
whose hash is on record, so the page's text can be shown with the file it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

STATEMENT = "stmt"
ENTITY = "entity"
DOCUMENT = "doc"
KINDS = (STATEMENT, ENTITY, DOCUMENT)
PATTERN = re.compile(r"\[\[(stmt|entity|doc):([^\[\]\s]+)\]\]")
_PAGE = re.compile(r"^(.+)#p([1-9][0-9]{0,5})$")

# Given cited ids, answers which of them exist (and are within the case's reach);
# the caller does the lookup, so parsing and checking a note does no I/O.
KnownIds = Callable[[frozenset[str]], Collection[str]]


@dataclass(frozen=True, slots=True)
class Citations:
    """The ids a text cites, each once, in order of first appearance."""

    statements: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()  # `ID#p3` or `ID`, as written


def cite(kind: str, target: str) -> str:
    """The citation markup for a statement (`stmt`), an entity (`entity`) or a
    document page (`doc`, target `ID#p3`) id."""
    if kind not in KINDS:
        raise ValueError(f"citation kind must be one of {', '.join(map(repr, KINDS))}")
    return f"[[{kind}:{target}]]"


def document_target(target: str) -> tuple[str, int | None]:
    """A document citation's document id and page number (None: the whole document)."""
    found = _PAGE.match(target)
    return (found.group(1), int(found.group(2))) if found else (target, None)


def iter_citations(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, kind, id) of every citation in the text, in order."""
    for match in PATTERN.finditer(text):
        yield match.start(), match.end(), match.group(1), match.group(2)


def parse_citations(text: str) -> Citations:
    """The statement, entity and document ids a text cites."""
    found: dict[str, dict[str, None]] = {kind: {} for kind in KINDS}
    for _start, _end, kind, target in iter_citations(text):
        found[kind][target] = None
    return Citations(tuple(found[STATEMENT]), tuple(found[ENTITY]), tuple(found[DOCUMENT]))
