"""Search text folding: the fast paths give exactly what rigour's transliteration gives."""

from __future__ import annotations

import random
import unicodedata

import pytest
from rigour.text import ascii_text

from threadline.search.text import fold, name_tokens, tokens, tokens_once

_LATIN = [
    chr(code) for code in range(0xC0, 0x250) if unicodedata.category(chr(code)).startswith("L")
]
_ASCII = [chr(code) for code in range(0x80)]
_PUNCTUATION = ["\u00a0", "\u2013", "\u2014", "\u2019", "\u201e", "\u2026", "\u00b7", "\u00ba"]


def _reference(text: str) -> str:
    return ascii_text(text).lower()


def test_every_character_folds_as_rigour_does() -> None:
    for char in [*_ASCII, *_LATIN, *_PUNCTUATION]:
        assert fold(char) == _reference(char), repr(char)


def test_random_latin_text_folds_as_rigour_does() -> None:
    rng = random.Random(7)
    alphabet = [*_ASCII, *_LATIN, *_PUNCTUATION, " ", " "]
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16)))
        assert fold(text) == _reference(text), repr(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mühlenstraße 24A, 79444 Freiburg im Breisgau",
        "Łódź, ul. Piotrkowska 3",
        "ул. Пушкина 4, 629007 Екатеринбург",
        "Ελευθερίου Βενιζέλου 12, Αθήνα",
        "李小龍",
        "£5 for Søren Kierkegaard",
        "Café — “Zum Löwen” …",
    ],
)
def test_mixed_scripts_and_symbols_fold_as_rigour_does(text: str) -> None:
    assert fold(text) == _reference(text)


def test_tokens_of_a_german_address() -> None:
    assert tokens("Mühlenstraße 24A, Köln") == ["muhlenstrasse", "24a", "koln"]


def test_name_tokens_reduce_legal_forms() -> None:
    assert name_tokens("Brückenbau Hansa Aktiengesellschaft") == name_tokens("BRUCKENBAU HANSA AG")


_SCRIPTS = {
    "cyrillic": (0x410, 0x44F),
    "greek": (0x391, 0x3C9),
    "arabic": (0x627, 0x64A),
    "hebrew": (0x5D0, 0x5EA),
    "georgian": (0x10D0, 0x10F0),
    "armenian": (0x531, 0x556),
    "han": (0x4E00, 0x4E80),
}


@pytest.mark.parametrize("script", sorted(_SCRIPTS))
def test_other_scripts_fold_piece_by_piece_as_rigour_folds_them_whole(script: str) -> None:
    # fold hands rigour one whitespace-separated piece at a time (far cheaper than the
    # whole string): the result must not differ from transliterating the whole.
    first, last = _SCRIPTS[script]
    rng = random.Random(script)
    letters = [chr(c) for c in range(first, last + 1) if unicodedata.category(chr(c))[0] == "L"]
    separators = [" ", "  ", ", ", ". ", " - ", "\u00a0", " 12 ", "\n"]
    for _ in range(150):
        words = ["".join(rng.choices(letters, k=rng.randint(1, 9))) for _ in range(4)]
        text = "".join(w + rng.choice(separators) for w in words[: rng.randint(1, 4)])
        assert fold(text) == _reference(text), repr(text)


@pytest.mark.parametrize("seed", range(5))
def test_values_joined_fold_to_the_tokens_of_each_value(seed: int) -> None:
    # A document's full text tokenises all its values joined by spaces at once: no
    # token may span two values, and every script must fold as in the value alone.
    rng = random.Random(seed)
    pool = [
        *_LATIN,
        *_ASCII,
        *_PUNCTUATION,
        *"Пушкина Αθήνα 李小龍 £€ـ",
        " ",
        " ",
    ]
    for _ in range(200):
        values = ["".join(rng.choices(pool, k=rng.randint(1, 12))).strip() for _ in range(4)]
        values = [v for v in values if v]
        expected = [t for v in values for t in tokens(v)]
        assert tokens_once(" ".join(values)) == expected
