"""Highlights: the stored values of a hit with the words that matched marked up.

Tantivy's snippet generator cannot see fuzzy or transliterated matches, so we mark
words ourselves, with the same folding the index uses and the same edit distance the
query allowed. Output is HTML-escaped text with matches wrapped in <em>.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from rigour.text import levenshtein

from threadline.search.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)


def allowed_distance(token: str) -> int:
    """Edit distance a query token may be off by: none for short words."""
    if len(token) < 4:
        return 0
    if len(token) < 8:
        return 1
    return 2


class _Matcher:
    """Which words of a hit's values match one query's terms, each word decided once.

    A page holds hundreds of words and its neighbours in the results hold the same
    ones, so a word's verdict (folding, then an edit distance against each term) is
    kept for the next value and the next hit of the same query.
    """

    _MAX_KNOWN = 10_000  # words remembered; then the memory starts again

    def __init__(self, terms: frozenset[str], fuzzy: bool) -> None:
        self.terms = terms
        # Terms a word may be off by some edits from (term, distance; short ones not),
        # by the length of the word they may be compared with.
        self.near: dict[int, list[tuple[str, int]]] = {}
        for term in sorted(terms) if fuzzy else []:
            distance = allowed_distance(term)
            for size in range(len(term) - distance, len(term) + distance + 1) if distance else ():
                self.near.setdefault(size, []).append((term, distance))
        self.yes: set[str] = set()  # words seen that match
        self.no: set[str] = set()  # and that do not

    def matching(self, value: str) -> set[str]:
        """The distinct words of `value` that match."""
        words = set(_WORD.findall(value))
        new = words - self.yes - self.no
        if new:
            if len(self.yes) + len(self.no) >= self._MAX_KNOWN:
                self.yes.clear()
                self.no.clear()
            for word in new:
                (self.yes if self._decide(word) else self.no).add(word)
        return words & self.yes

    def _decide(self, word: str) -> bool:
        folded = fold(word)
        if folded in self.terms:
            return True
        return any(levenshtein(folded, t) <= d for t, d in self.near.get(len(folded), ()))


@lru_cache(maxsize=16)
def _matcher(terms: frozenset[str], fuzzy: bool) -> _Matcher:
    """One query's matcher, shared by its hits (searches repeat as pages are turned)."""
    return _Matcher(terms, fuzzy)


# Longer values (a page's text, an e-mail body) are shown as a window of words
# around their first match, not whole.
LONG_CHARS = 400
_BEFORE, _AFTER = 120, 240


def mark(value: str, terms: set[str], fuzzy: bool) -> str | None:
    """The value with matching words in <em>, or None if nothing matched; a long
    value is cut to the words around its first match, with "…" where it was cut."""
    return _marked(value, _matcher(frozenset(terms), fuzzy))


def _marked(value: str, matcher: _Matcher) -> str | None:
    found = matcher.matching(value)
    if not found:
        return None
    if len(value) > LONG_CHARS:
        return _window(value, found)
    return _mark(value, found)


def _window(value: str, found: set[str]) -> str:
    first = next(m for m in _WORD.finditer(value) if m.group() in found)
    start = max(0, first.start() - _BEFORE)
    end = min(len(value), first.end() + _AFTER)
    while start > 0 and value[start - 1].isalnum():  # whole words only
        start += 1
    while end < len(value) and value[end].isalnum():
        end -= 1
    marked = _mark(value[start:end], found)
    return ("…" if start else "") + marked.strip() + ("…" if end < len(value) else "")


def _mark(value: str, found: set[str]) -> str:
    """`value` escaped, with its words that are `found` in <em>.

    The words found are runs of word characters (`_WORD`), so a run equal to one is a
    match, whole. (A pattern of the words, compiled for each value, cost more than
    the rest of a hit's highlighting.)
    """
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(value):
        if match.group() in found:
            out.append(html.escape(value[last : match.start()]))
            out.append(f"<em>{html.escape(match.group())}</em>")
            last = match.end()
    out.append(html.escape(value[last:]))
    return "".join(out)


def highlights(values: list[str], terms: set[str], fuzzy: bool, limit: int = 3) -> list[str]:
    """Up to `limit` values that contain a match, marked."""
    matcher = _matcher(frozenset(terms), fuzzy)
    result: list[str] = []
    for value in values:
        marked = _marked(value, matcher)
        if marked is not None:
            result.append(marked)
            if len(result) >= limit:
                break
    return result
