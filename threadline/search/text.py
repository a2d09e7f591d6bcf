"""Text normalisation shared by indexing and querying, built on rigour and normality.

Both sides must fold text the same way: lower case, accents removed, other scripts
transliterated to Latin, legal forms reduced to one spelling ("Aktiengesellschaft" and
"AG" both become "ag").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.names import replace_org_types_compare
from rigour.text import ascii_text
from rigour.text.normalize import Normalize, normalize

_TOKEN = re.compile(r"\w+", re.UNICODE)
# What rigour's `normalize_name` applies, combined once rather than on every call.
_NAME = Normalize.CASEFOLD | Normalize.NAME


# Typographic punctuation that transliterates the same alone as in any text.
_PUNCTUATION = (
    "\u00a0\u00aa\u00b7\u00ba" + "".join(map(chr, range(0x2010, 0x2020))) + "\u2024\u2025\u2026"
)


@lru_cache(maxsize=1)
def _latin() -> tuple[frozenset[str], dict[int, str]]:
    """The characters whose transliteration does not depend on their neighbours (ASCII,
    Latin letters up to U+024F, common typographic punctuation), and a table giving
    each its transliteration. Symbols are not among them: rigour drops or keeps "£"
    depending on the rest of the string."""
    latin = [
        chr(code) for code in range(0xC0, 0x250) if unicodedata.category(chr(code)).startswith("L")
    ]
    table = {ord(c): ascii_text(c) for c in [*latin, *_PUNCTUATION]}
    known = frozenset(map(chr, range(0x80))) | {chr(c) for c in table}
    # ASCII maps to itself too: `str.translate` pays for every character missing from
    # its table (a lookup error raised and cleared), which made folding a mostly ASCII
    # page twice as slow as with every character in the table.
    table.update({code: chr(code) for code in range(0x80)})
    return known, table


# Runs of non-space and of space: the pieces other scripts are transliterated in.
_PIECE = re.compile(r"\S+|\s+")


def _fold(text: str) -> str:
    """Lower-case Latin transliteration of any text, as rigour's `ascii_text` gives it.

    Latin text (most addresses and names) goes through a per-character table, which
    gives the same result (tests/search/test_text.py checks it against rigour). Other
    scripts go to rigour one whitespace-separated piece at a time: its cost grows
    faster than the length of the string (0.4 ms for a 27-character Cyrillic address,
    30x less in pieces), and pieces (names, street words) recur across values.
    """
    if text.isascii():
        return text.lower()
    known, table = _latin()
    if known.issuperset(text):
        return text.translate(table).lower()
    return "".join(map(_fold_piece, _PIECE.findall(text)))


# Cached: values and query words recur. `tokens_once` calls `_fold` itself.
fold = lru_cache(maxsize=100_000)(_fold)


@lru_cache(maxsize=200_000)
def _fold_piece(piece: str) -> str:
    if piece.isascii():
        return piece.lower()
    known, table = _latin()
    if known.issuperset(piece):
        return piece.translate(table).lower()
    return ascii_text(piece).lower()


def tokens(text: str) -> list[str]:
    """Folded word tokens of free text."""
    return _TOKEN.findall(fold(text))


def tokens_once(text: str) -> list[str]:
    """`tokens`, for text seen once (all of an entity's values joined): not cached as
    a whole, which would only push recurring values out of `fold`'s cache; its
    pieces are, as in `fold`."""
    return _TOKEN.findall(_fold(text))


# Indic and Southeast Asian scripts, whose nonspacing marks are vowel signs and viramas.
_ABUGIDA = re.compile("[\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff]")


def name_tokens(name: str) -> list[str]:
    """Folded tokens of a name, legal forms reduced to their short comparable form.

    rigour's name tokeniser drops nonspacing marks, the accents of Latin text; in the
    scripts of `_ABUGIDA` they are vowels, so such a name is transliterated first
    ("अर्मेनिया" gives "armeniya", not "aramaniya"). An apostrophe the transliteration
    puts between syllables ("Λάνκα" -> "lan'ka", "हाइती" -> "ha'iti") is not a word
    break: it is dropped.
    """
    if _ABUGIDA.search(name):
        name = fold(name).replace("'", "")
    normal = normalize(name, _NAME)
    if normal is None:
        return []
    folded = fold(replace_org_types_compare(normal))
    if "'" in folded and "'" not in normal:
        folded = folded.replace("'", "")
    return _TOKEN.findall(folded)


def grams(token: str, size: int = 3) -> list[str]:
    """Character n-grams of a folded token; short tokens stand for themselves.

    They give typo-tolerant matches a graded score: tantivy scores fuzzy term
    matches as a constant, so shared trigrams rank "Daimler" above "Dammler"
    for the query "Daimlr".
    """
    if len(token) <= size:
        return [token]
    return [token[i : i + size] for i in range(len(token) - size + 1)]
