"""Name keys for matching: folded forms, transliteration skeletons, nickname groups.

Every function here is pure and cached, because resolution normalises each distinct
value once and maps the (much longer) columns through the result.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nicknames import NickNamer
from rigour.names import remove_person_prefixes
from rigour.text import ascii_text, is_stopword

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

# Spelling classes that transliteration and typing habits blur (w/v, ph/f, sch/sh ...).
# Vowels are kept: collapsing them made distinct common names equal (Hüseyin and Hasan,
# Maria and Mario); only the vowel spellings one name takes in different scripts and
# keyboards agree (ue/u, ei/ey/ai, ou/u, ii/i).
_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"x"), "ks"),
    (re.compile(r"chr"), "kr"),
    (re.compile(r"kh"), "h"),  # Mikhail, Mihail (the Russian letter kha)
    (re.compile(r"t?sch|tch|sh|sz|ch"), "sh"),  # not "s": Schmidt is not Smith
    (re.compile(r"t[sz]"), "s"),  # Kuznetsov, Kusnezow (the Russian letter tse)
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck|q|c"), "k"),
    (re.compile(r"[wv]"), "v"),
    (re.compile(r"z"), "s"),  # Zubov is Subow in German transliteration
    (re.compile(r"dt|th"), "t"),
    # A silent h (Lehmann, Sarah, Ahmed); kept between vowels, where Johan is not Joan.
    (re.compile(r"(?<=[^aeiouys])h|(?<=[aeiouy])h(?![aeiouy])"), ""),
    # Aleksey, Aleksej and Alexei, Marija and Maria; but Kenji is not Kenny.
    (re.compile(r"(?<=.)y|(?<=.)j(?!i)"), "i"),
    (re.compile(r"(?<=[aou])e(?![aeiou])"), ""),  # ue, oe, ae: transcribed umlauts
    (re.compile(r"[ae]i"), "ai"),
    (re.compile(r"(?<=[a-z])ou"), "u"),
    (re.compile(r"(?<=o)ff?$"), "v"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def _latin_table() -> dict[int, str]:
    """Latin letters with diacritics to ASCII, for the fast path of `fold`."""
    # German and Nordic letters as their own transcriptions, so that "Brückenbau" and
    # "BRUECKENBAU", "Søren" and "Soeren", "Ålborg" and "Aalborg" fold alike.
    special = {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "å": "aa",
        "ß": "ss",
        "æ": "ae",
        "ø": "oe",
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
    # Soft and hard signs of scholarly transliteration (U+02B9, U+02BA: "Vasil\u02b9ev")
    # belong to the word.
    table.update({0x2B9: "", 0x2BA: ""})
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


def sorted_key(words: list[str]) -> str:
    """The words of a name in sorted order, so "Albrecht Katrin" equals "Katrin Albrecht"."""
    return " ".join(sorted(words))


# Academic degrees that follow a title rigour strips ("Dr. med.", "Prof. Dr. h.c. mult.",
# "Dipl.-Ing."): rigour's person prefixes end at the title, so without these "med"
# would be taken for a given name. Dropped only from the head of a name.
# Single letters are initials, except "h. c." (honoris causa) together.
_DEGREES = frozenset(
    {"med", "dent", "vet", "rer", "nat", "pol", "oec", "phil", "jur", "hc", "mult", "dipl"}
    | {"ing", "mag", "habil", "univ", "priv", "doz", "dr", "prof"}
)
# Eastern Slavic patronymics: "Sokolov Ivan Petrovich" is family, given, patronymic.
_PATRONYMIC = re.compile(r"(ovich|evich|ovna|evna|ichna)$")
# Tags of name words: the record's given or family name, a particle, or untold.
GIVEN, FAMILY, PARTICLE, UNTOLD = "given", "family", "particle", ""
_Parts = tuple[tuple[str, str], ...]


@lru_cache(maxsize=200_000)
def _person_parts(text: str, given: str, family: str) -> _Parts:
    """Folded words of a person name, tagged: honorifics stripped by rigour ("Frau",
    "Prof. Dr."), words of `given` or `family` tagged as such, particles ("von der",
    "al": rigour's stop words) dropped unless nothing else is left.

    rigour's `analyze_names` tags the same way (`part_tags`) but cost four to six times
    as much per name (measured), and this runs once per distinct name of millions.
    """
    words = fold(remove_person_prefixes(text)).split()
    while len(words) > 1:
        if words[0] in _DEGREES:
            del words[0]
        elif len(words) > 2 and words[0] == "h" and words[1] == "c":
            del words[:2]
        else:
            break
    if len(words) > 2 and _PATRONYMIC.search(words[-1]):
        words.pop()
    kept = [w for w in words if not is_stopword(w)] or words
    if not given and not family:
        return tuple((w, UNTOLD) for w in kept)
    givens, families = set(fold(given).split()), set(fold(family).split())
    return tuple((w, GIVEN if w in givens else FAMILY if w in families else UNTOLD) for w in kept)


def person_name(name: str, given: str, family: str) -> tuple[str, str]:
    """Folded (first given name, family name) of a person.

    Given and family names where the record has them; otherwise from the full name
    ("Quandt, Johanna" is family first), its words tagged against whichever part the
    record does give, and the rest by position: the first word is the given name and
    the last the family name.
    """
    if given and family:
        givens = [w for w, _ in _person_parts(given, "", "")]
        families = [w for w, _ in _person_parts(family, "", "")]
        return (_given_name(given, givens), " ".join(families))
    head, comma, tail = name.partition(",")
    if comma:
        name = f"{tail} {head}"
    elif not name.strip():
        name = f"{given} {family}"
    parts = _person_parts(name, given, family)
    if not parts:
        return ("", "")
    if not given and not family:
        if len(parts) == 1:
            return ("", parts[0][0])
        return (_given_name(name, [w for w, _ in parts], after=1), parts[-1][0])
    givens = [w for w, t in parts if t == GIVEN]
    families = [w for w, t in parts if t == FAMILY]
    rest = [w for w, t in parts if t == UNTOLD]
    first = givens[0] if givens else (rest[0] if rest and (families or len(rest) > 1) else "")
    if families:
        last = " ".join(families)
    else:
        later = [w for w in rest if w != first] if first else rest
        last = later[-1] if later else ""
    return (first, last)


def _given_words(name: str, given: str, family: str) -> list[str]:
    """The folded given-name words of a person, in order, as `person_name` reads them:
    `given` where the record has it, else the full name's words tagged as given, else
    all words but the family name (the last)."""
    if given:
        return [w for w, _ in _person_parts(given, "", "")]
    head, comma, tail = name.partition(",")
    parts = _person_parts(f"{tail} {head}" if comma else name, given, family)
    if family:
        return [w for w, t in parts if t == UNTOLD]
    return [w for w, _ in parts[:-1]]


# Joins the two words of a given name in the form `first_name_forms` marks it with.
GIVEN_PAIR = "+"


@lru_cache(maxsize=200_000)
def first_name_forms(name: str, given: str, family: str) -> tuple[str, ...]:
    """The forms a person's first given name may take elsewhere: its nicknames and
    formal names (`nickname_group`), and for a given name in two words (both more than
    an initial), the two as one and the pair itself.

    "Hans Peter" is written "Hans-Peter" (folded "hanspeter") on the next record, and
    "Anne Marie" "Annemarie": the spaced form also takes the joined one. Both spaced and
    hyphenated forms hold the pair ("hans+peter", `GIVEN_PAIR`), so that two two-word
    given names that differ in a word ("Jun-Ho" and "Jun-Hee", "Hans-Peter" and "Hans
    Jürgen") can be told apart from a typo (comparisons.py). A hyphenated given name is
    not its first half: "Jun-Ho" is not "Jun".
    """
    return given_forms(person_name(name, given, family)[0], name, given, family)


def given_forms(first: str, name: str, given: str, family: str) -> tuple[str, ...]:
    """`first_name_forms` of a person whose folded first given name (`person_name`'s
    first half) is known already: a run reads it once per distinct name."""
    if not first:
        return ()
    forms = set(nickname_group(first))
    words = _given_words(name, given, family)
    if len(words) >= 2 and min(len(words[0]), len(words[1])) > 1:
        if first == words[0]:  # spaced: the joined form too
            forms.add(words[0] + words[1])
        if first in (words[0], words[0] + words[1]):
            forms.add(words[0] + GIVEN_PAIR + words[1])
    return tuple(sorted(forms))


def _given_name(text: str, words: list[str], after: int = 0) -> str:
    """The first given name of a name's folded `words`, a hyphenated one whole
    ("Jean-Pierre" is one name, not Jean; "Jun-Ho" and "Jun-Hee" are two people), as
    long as `after` words are left behind it (a family name)."""
    if not words:
        return ""
    for token in text.split():
        parts = fold(token).split()
        if not parts or parts[0] != words[0]:
            continue
        whole = len(parts) > 1 and min(map(len, parts)) > 1 and len(words) - len(parts) >= after
        if "-" in token and whole and words[: len(parts)] == parts:
            return "".join(parts)
        break
    return words[0]


def clear_caches() -> None:
    """Drop the cached keys (after a large batch, to give the memory back)."""
    for cached in (fold, skeleton, nickname_group, _word_ascii, _person_parts, first_name_forms):
        cached.cache_clear()
