"""Organisation name keys: legal forms reduced, stop words out, tokens and acronyms.

rigour's name analysis does the linguistic work: it strips leading articles ("The"),
replaces legal forms by one compare form ("Gesellschaft mit beschränkter Haftung" and
"GmbH" both become "gmbh", "Limited" and "Ltd" "ltd") and tags them LEGAL, and tags stop
words ("of", "und", "für") STOP. Here those parts become the keys resolution compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rigour.names import NamePartTag, NameTypeTag, analyze_names

from threadline.resolve.names import fold

_LETTERS = re.compile(r"[a-z]{2,6}")


@dataclass(frozen=True)
class OrgName:
    """The keys of one organisation name (all folded: lower-case ASCII, German and
    Nordic letters as their transcriptions, so "Brückenbau" is "brueckenbau")."""

    key: str  # the whole name, legal form in its compare form: "brueckenbau hansa gmbh"
    core: str  # the name without legal form: "brueckenbau hansa"
    tokens: tuple[str, ...]  # significant words of the core: no stop words, no initials
    acronym: str | None  # for a one-word core that may be an acronym: a regex (below)


@lru_cache(maxsize=200_000)
def org_name(name: str) -> OrgName | None:
    """The keys of an organisation name; None when nothing but a legal form is left."""
    # Legal forms are tagged by the symbol pass, so symbols stay on.
    found = analyze_names(NameTypeTag.ORG, [name], phonetics=False)
    if not found:
        return None
    # One input gives one name; the longest is taken should rigour split it.
    best = min(found, key=lambda n: (-len(n.parts), n.form))
    words = [(_generic(w), p.tag) for p in best.parts for w in fold(p.form).split()]
    core = [w for w, tag in words if tag != NamePartTag.LEGAL]
    if not core:
        return None
    tokens = tuple(
        dict.fromkeys(
            w
            for w, tag in words
            if tag not in (NamePartTag.LEGAL, NamePartTag.STOP) and (len(w) > 1 or w.isdigit())
        )
    )
    acronym = acronym_pattern(core[0]) if len(core) == 1 else None
    return OrgName(" ".join(w for w, _ in words), " ".join(core), tokens, acronym)


# German compounds ending in "gesellschaft" (company) name the same firm as their stem
# with a legal form: "Beteiligungsgesellschaft mbH" is "Beteiligungs GmbH".
_COMPANY_SUFFIX = "gesellschaft"


def _generic(word: str) -> str:
    """A word without a trailing generic "company" part, where a stem remains."""
    if word.endswith(_COMPANY_SUFFIX) and len(word) >= len(_COMPANY_SUFFIX) + 4:
        return word[: -len(_COMPANY_SUFFIX)]
    return word


def acronym_pattern(word: str) -> str | None:
    """A regular expression matching the cores an acronym may stand for, or None.

    "bmw" gives `^b[a-z0-9]*( m|m)[a-z0-9]*( w|w)[a-z0-9]*$`: each word of the long name
    starts with the next letter of the acronym, and a word may give more than one letter
    (Bayerische MotorenWerke). Every word must give one, so no word is skipped.
    """
    if not _LETTERS.fullmatch(word):
        return None
    rest = "".join(f"( {c}|{c})[a-z0-9]*" for c in word[1:])
    return f"^{word[0]}[a-z0-9]*{rest}$"


def clear_caches() -> None:
    """Drop the cached keys (after a large batch, to give the memory back)."""
    org_name.cache_clear()
