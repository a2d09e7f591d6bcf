"""Highlights: the stored values of a hit with the words that matched marked up.

Tantivy's snippet generator cannot see fuzzy or transliterated matches, so we mark
words ourselves, with the same folding the index uses and the same edit distance the
query allowed. Output is HTML-escaped text with matches wrapped in <em>.
"""

from __future__ import annotations

import html
import re

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


def _matches(word: str, terms: set[str], fuzzy: bool) -> bool:
    folded = fold(word)
    if folded in terms:
        return True
    if not fuzzy:
        return False
    return any(
        abs(len(t) - len(folded)) <= allowed_distance(t)
        and levenshtein(folded, t) <= allowed_distance(t)
        for t in terms
        if allowed_distance(t) > 0
    )


# Longer values (a page's text, an e-mail body) are shown as a window of words
# around their first match, not whole.
LONG_CHARS = 400
_BEFORE, _AFTER = 120, 240


def mark(value: str, terms: set[str], fuzzy: bool) -> str | None:
    """The value with matching words in <em>, or None if nothing matched; a long
    value is cut to the words around its first match, with "…" where it was cut."""
    if len(value) > LONG_CHARS:
        return _window(value, terms, fuzzy)
    return _mark(value, terms, fuzzy)


def _window(value: str, terms: set[str], fuzzy: bool) -> str | None:
    for match in _WORD.finditer(value):
        if _matches(match.group(0), terms, fuzzy):
            start = max(0, match.start() - _BEFORE)
            end = min(len(value), match.end() + _AFTER)
            while start > 0 and value[start - 1].isalnum():  # whole words only
                start += 1
            while end < len(value) and value[end].isalnum():
                end -= 1
            marked = _mark(value[start:end], terms, fuzzy)
            if marked is None:  # pragma: no cover - the window holds the match
                return None
            return ("…" if start else "") + marked.strip() + ("…" if end < len(value) else "")
    return None


def _mark(value: str, terms: set[str], fuzzy: bool) -> str | None:
    out: list[str] = []
    last = 0
    found = False
    for match in _WORD.finditer(value):
        out.append(html.escape(value[last : match.start()]))
        word = match.group(0)
        if _matches(word, terms, fuzzy):
            out.append(f"<em>{html.escape(word)}</em>")
            found = True
        else:
            out.append(html.escape(word))
        last = match.end()
    out.append(html.escape(value[last:]))
    return "".join(out) if found else None


def highlights(values: list[str], terms: set[str], fuzzy: bool, limit: int = 3) -> list[str]:
    """Up to `limit` values that contain a match, marked."""
    result: list[str] = []
    for value in values:
        marked = mark(value, terms, fuzzy)
        if marked is not None:
            result.append(marked)
            if len(result) >= limit:
                break
    return result
