"""Name keys for matching: folded forms, transliteration skeletons, nickname groups.

Every function here is pure and cached, because resolution normalises each distinct
value once and maps the (much longer) columns through the result.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nicknames import NickNamer
from rigour.names import normalize_name, replace_org_types_compare
from rigour.text import ascii_text

_WORD = re.compile(r"[a-z0-9]+")
_NICKNAMES = NickNamer()

# Nicknames and short forms outside the English list the nicknames package carries.
_EXTRA_GROUPS: tuple[tuple[str, ...], ...] = (
    ("katharina", "katrin", "kathrin", "katja", "kati", "kaethe", "kathe", "catherine"),
    ("johannes", "hans", "johann", "jan", "john"),
    ("dmitry", "dmitri", "dmitrij", "dima", "dmitriy"),
    ("aleksandr", "alexander", "alexandr", "sasha", "sascha", "alex"),
    ("aleksei", "alexei", "alexey", "aleksey", "lyosha"),
    ("mikhail", "michail", "misha", "michael"),
    ("nikolai", "nikolay", "kolya", "nicholas", "nikolaus", "klaus"),
    ("ekaterina", "yekaterina", "katya", "katerina"),
    ("elisabeth", "elizabeth", "lisa", "liesel", "elise", "sissi"),
    ("wolfgang", "wolf"),
    ("friedrich", "fritz"),
    ("wilhelm", "willi", "willy"),
    ("margarete", "margarethe", "grete", "gretel", "margaret"),
    ("sergei", "sergey", "serezha", "sergej"),
    ("vladimir", "volodya", "wladimir"),
    ("natalia", "natalya", "natasha", "natalie"),
    ("ivan", "vanya", "iwan"),
    ("anastasia", "nastya", "anastasiya"),
    ("yuri", "yury", "juri", "jurij"),
    ("mehmet", "mehmed", "muhammed", "mohammed", "muhammad"),
    ("josef", "joseph", "sepp", "joe"),
    ("jurgen", "juergen", "jorg", "joerg"),
)
_EXTRA: dict[str, frozenset[str]] = {}
for _group in _EXTRA_GROUPS:
    for _name in _group:
        _EXTRA[_name] = _EXTRA.get(_name, frozenset()) | frozenset(_group)

# Spelling classes that transliteration and typing habits blur (w/v, ph/f, y/i/j ...).
_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"sch|sh|sz|ch"), "s"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck|q|c"), "k"),
    (re.compile(r"[wv]"), "v"),
    (re.compile(r"[zx]"), "s"),
    (re.compile(r"(?<=[a-z])h"), ""),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"dt|th"), "t"),
    (re.compile(r"(?<=.)[aeiou]+"), "a"),
    (re.compile(r"(.)\1+"), r"\1"),
)


@lru_cache(maxsize=1_000_000)
def fold(text: str) -> str:
    """Lower-case ASCII words of any script, single-spaced."""
    if not text.isascii():
        text = ascii_text(text)
    return " ".join(_WORD.findall(text.lower()))


@lru_cache(maxsize=1_000_000)
def skeleton(word: str) -> str:
    """A spelling-insensitive key of one folded word: Sokolov, Sokolow and Ssokolof agree."""
    key = word
    for pattern, repl in _SKELETON_RULES:
        key = pattern.sub(repl, key)
    return key


@lru_cache(maxsize=200_000)
def nickname_group(first: str) -> tuple[str, ...]:
    """A folded first name with the formal names and nicknames it may stand for."""
    group = {first} | _EXTRA.get(first, frozenset())
    group |= _NICKNAMES.canonicals_of(first)
    return tuple(sorted(group))


@lru_cache(maxsize=1_000_000)
def org_key(name: str) -> str:
    """A company name folded, legal forms reduced ("Aktiengesellschaft" and "AG" agree)."""
    normal = normalize_name(name)
    return fold(replace_org_types_compare(normal)) if normal else ""


def sorted_key(words: list[str]) -> str:
    """The words of a name in sorted order, so "Albrecht Katrin" equals "Katrin Albrecht"."""
    return " ".join(sorted(words))
