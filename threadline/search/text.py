"""Text normalisation shared by indexing and querying, built on rigour and normality.

Both sides must fold text the same way: lower case, accents removed, other scripts
transliterated to Latin, legal forms reduced to one spelling ("Aktiengesellschaft" and
"AG" both become "ag").
"""

from __future__ import annotations

import re
from functools import lru_cache

from rigour.names import normalize_name, replace_org_types_compare
from rigour.text import ascii_text

_TOKEN = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Lower-case Latin transliteration of any text (cached: transliterating one
    non-ASCII name costs ~0.2 ms, and a merged entity's slices repeat its names)."""
    return ascii_text(text).lower()


def tokens(text: str) -> list[str]:
    """Folded word tokens of free text."""
    return _TOKEN.findall(fold(text))


def name_tokens(name: str) -> list[str]:
    """Folded tokens of a name, legal forms reduced to their short comparable form."""
    normal = normalize_name(name)
    if normal is None:
        return []
    return _TOKEN.findall(fold(replace_org_types_compare(normal)))


def grams(token: str, size: int = 3) -> list[str]:
    """Character n-grams of a folded token; short tokens stand for themselves.

    They give typo-tolerant matches a graded score: tantivy scores fuzzy term
    matches as a constant, so shared trigrams rank "Daimler" above "Dammler"
    for the query "Daimlr".
    """
    if len(token) <= size:
        return [token]
    return [token[i : i + size] for i in range(len(token) - size + 1)]
