"""Name keys for matching: folded forms, transliteration skeletons, nickname groups.

Every function here is pure and cached, because resolution normalises each distinct
value once and maps the (much longer) columns through the result.
"""

from __future__ import annotations

import re
import unicodedata
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
    ("susanne", "susi", "susan", "sanne"),
    ("andreas", "andi", "andy", "andrew"),
    ("stefanie", "steffi", "stephanie"),
    ("sebastian", "basti", "sebi"),
    ("christian", "chris", "christoph", "christopher"),
    ("christina", "christine", "tina", "chrissi"),
    ("gabriele", "gabi", "gabriela"),
    ("monika", "moni", "monica"),
    ("cornelia", "conny", "nele"),
    ("ulrich", "uli", "ulli"),
    ("thomas", "tom", "thommy", "tommy"),
    ("matthias", "matze", "mathias", "matthew"),
    ("alexandra", "alex", "sandra", "sascha"),
    ("barbara", "babsi", "barbra"),
    ("franziska", "franzi", "fanny"),
    ("florian", "flo"),
    ("johanna", "hanna", "hannah", "jo"),
    ("michael", "michi", "micha", "mike"),
    ("daniel", "dani", "danny"),
    ("benjamin", "ben", "benni"),
    ("maximilian", "max", "maxi"),
    ("dominik", "dominic", "domi"),
    ("patrick", "patrik", "pat"),
    ("anton", "toni", "tony", "antonia"),
    ("heinrich", "heinz", "hein", "henry"),
    ("bernhard", "bernd", "bernard"),
    ("gerhard", "gerd", "gert"),
    ("reinhard", "reinhold", "reiner", "rainer"),
    ("dietrich", "dieter"),
    ("ludwig", "lutz", "louis"),
    ("magdalena", "lena", "leni", "magda"),
    ("helena", "helene", "lena", "ellen"),
    ("olga", "olya", "olia"),
    ("tatiana", "tatyana", "tanja", "tanya"),
    ("svetlana", "sveta"),
    ("elena", "yelena", "jelena", "lena"),
    ("irina", "ira"),
    ("oksana", "ksenia", "xenia"),
    ("andrei", "andrey", "andrej", "andriy"),
    ("pavel", "pasha", "paul"),
    ("maria", "marie", "mascha", "masha", "mary"),
    ("katarzyna", "kasia", "kasha", "kate"),
    ("malgorzata", "gosia"),
    ("lukasz", "luke", "lukas"),
    ("wojciech", "wojtek"),
    ("mustafa", "musti"),
    ("giuseppe", "peppe", "beppe", "joseph"),
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


def _latin_table() -> dict[int, str]:
    """Latin letters with diacritics to ASCII, for the fast path of `fold`."""
    special = {
        "ß": "ss",
        "æ": "ae",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "þ": "th",
        "\u0131": "i",
        "œ": "oe",
    }
    table: dict[int, str] = {}
    for code in range(0x80, 0x250):
        char = chr(code).lower()
        if char in special:
            table[code] = special[char]
            continue
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
        if base:
            table[code] = base
    return table


_LATIN = _latin_table()


@lru_cache(maxsize=200_000)
def _word_ascii(word: str) -> str:
    return ascii_text(word)


@lru_cache(maxsize=1_000_000)
def fold(text: str) -> str:
    """Lower-case ASCII words of any script, single-spaced.

    Latin letters with diacritics go through a translation table; other scripts through
    rigour's transliteration, one cached word at a time (it is slow per call).
    """
    text = text.lower()
    if not text.isascii():
        text = text.translate(_LATIN)
        if not text.isascii():
            text = " ".join(w if w.isascii() else _word_ascii(w) for w in text.split())
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


def clear_caches() -> None:
    """Drop the cached keys (after a large batch, to give the memory back)."""
    for cached in (fold, skeleton, org_key, nickname_group, _word_ascii):
        cached.cache_clear()
