"""Letter tables that romanise Cyrillic names the way different clerks would."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

# fmt: off
# Letter tables read better as tables than one entry per line.
_COMMON: Final = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "з": "z", "и": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "ъ": "", "ь": "", "э": "e", "ы": "y", "'": "", "’": "",
}


def _table(**overrides: str) -> Mapping[str, str]:
    table = dict(_COMMON)
    table.update(overrides)
    return MappingProxyType(table)


# Each system: (letter table, word-final replacements, word-initial replacements).
# The tables are deliberately simplified versions of the usual conventions: English-
# language press (BGN-like), passports (ICAO 9303), German press (Duden) and the
# Ukrainian national system. They disagree with each other, which is the point.
System = tuple[Mapping[str, str], Mapping[str, str], Mapping[str, str]]
SYSTEMS: Final[Mapping[str, System]] = MappingProxyType({
    "english": (
        _table(ё="yo", ж="zh", й="y", х="kh", ц="ts", ч="ch", ш="sh", щ="shch", ю="yu", я="ya",
               і="i", ї="yi", є="ye", ґ="g"),
        MappingProxyType({"ий": "y", "ый": "y"}),
        MappingProxyType({"е": "ye"}),
    ),
    "passport": (
        _table(ё="e", ж="zh", й="i", х="kh", ц="ts", ч="ch", ш="sh", щ="shch", ю="iu", я="ia",
               ъ="ie", і="i", ї="i", є="ie", ґ="g"),
        MappingProxyType({}),
        MappingProxyType({}),
    ),
    "german": (
        _table(в="w", ё="jo", ж="sch", з="s", й="i", х="ch", ц="z", ч="tsch", ш="sch",
               щ="schtsch", ю="ju", я="ja", і="i", ї="ji", є="je", ґ="g"),
        MappingProxyType({"ий": "i", "ый": "y"}),
        MappingProxyType({"е": "je"}),
    ),
    "ukrainian": (
        _table(г="h", ґ="g", и="y", і="i", ї="i", є="ie", ж="zh", й="i", х="kh", ц="ts",
               ч="ch", ш="sh", щ="shch", ю="iu", я="ia"),
        MappingProxyType({"ий": "yi"}),
        MappingProxyType({"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}),
    ),
})
# fmt: on


def _word(word: str, system: str) -> str:
    table, finals, initials = SYSTEMS[system]
    lower = word.lower()
    head = ""
    for native, latin in initials.items():
        if lower.startswith(native):
            head, lower = latin, lower[len(native) :]
            break
    tail = ""
    for native, latin in finals.items():
        if lower.endswith(native):
            tail, lower = latin, lower[: -len(native)]
            break
    body = "".join(table.get(char, char) for char in lower)
    out = head + body + tail
    if word[:1].isupper():
        out = out[:1].upper() + out[1:]
    return out


def romanise(text: str, system: str) -> str:
    """Romanise a Cyrillic name with one of the `SYSTEMS`, keeping hyphens and spaces."""
    parts: list[str] = []
    for word in text.split(" "):
        parts.append("-".join(_word(piece, system) for piece in word.split("-")))
    return " ".join(parts)


def feminine_ru(surname: str) -> str:
    """Give the female form of a Russian surname (Соколов -> Соколова)."""
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname
