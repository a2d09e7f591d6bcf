"""Text damage that real sources do to names: lost accents, transcriptions, typos, shouting."""

from __future__ import annotations

import unicodedata
from random import Random
from typing import Final

# Letters NFKD does not decompose but that old systems still flatten.
_FLAT: Final = {"ß": "ss", "ı": "i", "İ": "I", "ø": "o", "Ø": "O", "æ": "ae", "ł": "l"}
_GERMAN: Final = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
_KEYBOARD: Final = "qwertzuiopasdfghjklyxcvbnm"


def fold(text: str) -> str:
    """Drop accents the way an ASCII-only system does ("Vermögen" -> "Vermogen")."""
    text = "".join(_FLAT.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def transcribe(text: str) -> str:
    """Write umlauts out the German way ("Vermögen" -> "Vermoegen"), folding the rest."""
    return fold("".join(_GERMAN.get(char, char) for char in text))


def is_latin(text: str) -> bool:
    """Tell whether a name is written in Latin script, so a typo can be made in it."""
    return all(ord(char) < 0x0370 for char in text)


def typo(rng: Random, text: str) -> str:
    """Make one plausible keyboard slip in a word of four or more letters."""
    words = text.split(" ")
    candidates = [i for i, word in enumerate(words) if len(word) >= 4 and word.isalpha()]
    if not candidates:
        return text
    index = rng.choice(candidates)
    word = words[index]
    pos = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    elif kind == 1:
        word = word[:pos] + word[pos + 1 :]
    elif kind == 2:
        word = word[:pos] + word[pos] + word[pos:]
    else:
        slip = rng.choice(_KEYBOARD)
        word = word[:pos] + (slip.upper() if word[pos].isupper() else slip) + word[pos + 1 :]
    words[index] = word
    return " ".join(words)


def street_variant(rng: Random, street: str) -> str:
    """Abbreviate or respell "Straße" the ways forms and clerks do."""
    if "straße" not in street and "Straße" not in street:
        return street
    pick = rng.choice(("Str.", "Strasse", "str."))
    if pick == "str.":
        return street.replace("straße", "str.").replace("Straße", "Str.")
    return street.replace("straße", pick.lower()).replace("Straße", pick)
