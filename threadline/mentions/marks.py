"""A document's text cut into runs, plain or marked with the entities named there:
what a page shows, escaping each run's text itself (a run is text, never markup).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Named:
    """An entity named at a place: its id and caption."""

    entity_id: str
    caption: str


@dataclass(frozen=True)
class Run:
    """A run of the text; `named` is empty for plain text."""

    text: str
    named: tuple[Named, ...] = ()


def marked(text: str, marks: Iterable[tuple[int, int, Named]]) -> list[Run]:
    """`text` cut at the marks (start and end offsets, and the entity named there).
    Marks of the same span make one run naming each of their entities; a mark that
    overlaps an earlier one (or a longer one at the same start) is left out, and so is
    one outside the text."""
    spans: dict[tuple[int, int], list[Named]] = {}
    for start, end, named in marks:
        if 0 <= start < end <= len(text):
            found = spans.setdefault((start, end), [])
            if named not in found:
                found.append(named)
    runs: list[Run] = []
    at = 0
    for (start, end), entities in sorted(spans.items(), key=lambda s: (s[0][0], -s[0][1])):
        if start < at:
            continue
        if start > at:
            runs.append(Run(text[at:start]))
        runs.append(Run(text[start:end], tuple(sorted(entities, key=lambda n: n.entity_id))))
        at = end
    if at < len(text) or not runs:
        runs.append(Run(text[at:]))
    return runs
