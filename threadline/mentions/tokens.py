"""Document text as folded word tokens, each with the span of text it came from.

Words are folded as search folds them (`threadline.search.text.fold`): lower case,
accents removed, other scripts transliterated. Text whose every letter folds to one
letter (ASCII, and most Latin text: "Müller" -> muller) is folded whole by one
table, which keeps every offset. Other text ("Straße", Cyrillic, Chinese) is folded
word by word, and a word that folds into several ("中国" -> zhong guo) gives several
tokens with the word's span. Spans are worked out only when a text has a match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from threadline.search.text import fold

# A word: letters and digits, with the combining marks of decomposed accents ("u" +
# U+0308), which search's folding removes before it splits words.
_WORD = re.compile(r"(?:\w|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")
_TOKEN = re.compile(r"\w+")
_PARTS = re.compile(r"(\w+)")  # split: separators and tokens in turn
_PUNCTUATION = {0xA0, 0xAA, 0xB7, 0xBA, *range(0x2010, 0x2020)}


@dataclass
class Tokens:
    """The folded tokens of one text; `spans()` gives each token's (start, end) in it."""

    words: list[str]
    _parts: list[str] | None  # the folded text split into separators and tokens in turn
    _text: str  # the original text, when it is not folded letter for letter
    _spans: list[tuple[int, int]] | None = field(default=None, repr=False)

    def spans(self, count: int | None = None) -> list[tuple[int, int]]:
        """The start and end offsets in the original text of each token, or of the
        first `count` tokens (at least)."""
        if self._spans is None or (count is None and len(self._spans) < len(self.words)):
            if self._parts is not None:
                # Ends of the separators and tokens in turn, summed in C: token i runs
                # from the end of part 2i to the end of part 2i + 1.
                parts = self._parts if count is None else self._parts[: 2 * count + 1]
                ends = [0, *accumulate(map(len, parts))]
                self._spans = list(zip(ends[1::2], ends[2::2], strict=False))
            else:
                self._spans = _spans(self._text)
        return self._spans


@lru_cache(maxsize=1)
def _one_to_one() -> tuple[frozenset[str], dict[int, str]]:
    """The non-ASCII letters (Latin, up to U+024F) and typographic punctuation (dashes,
    quotes, no-break space) that fold to one ASCII character each, and the table that
    folds them: search folds them the same alone as in a text."""
    table: dict[int, str] = {}
    for code in [*range(0xA0, 0x250), *range(0x2010, 0x2020)]:
        char = chr(code)
        if unicodedata.category(char).startswith("L") or code in _PUNCTUATION:
            folded = fold(char)
            if len(folded) == 1 and folded.isascii():
                table[code] = folded
    return frozenset(map(chr, range(0x80))) | {chr(c) for c in table}, table


def tokenize(text: str) -> Tokens:
    """Fold and split a text into tokens."""
    if text.isascii():
        parts = _PARTS.split(text.lower())
        return Tokens(parts[1::2], parts, text)
    known, table = _one_to_one()
    if known.issuperset(text):
        parts = _PARTS.split(text.translate(table).lower())
        return Tokens(parts[1::2], parts, text)
    return Tokens(" ".join(map(_fold_word, _WORD.findall(text))).split(), None, text)


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    """A word's folded tokens, space-separated."""
    return " ".join(_TOKEN.findall(fold(word)))


def _spans(text: str) -> list[tuple[int, int]]:
    # A word may fold to several tokens ("¼" -> 1 4) or to none ("ꟺ" -> ?), so a
    # count of words equal to the count of tokens proves nothing: each word's tokens
    # are counted (the folding is cached).
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        span = match.span()
        spans.extend(span for _ in _fold_word(match.group()).split())
    return spans
