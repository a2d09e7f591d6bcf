"""Search text folding: the fast paths give exactly what rigour's transliteration gives."""

from __future__ import annotations

import random
import unicodedata

import pytest
from rigour.text import ascii_text

from threadline.search.text import fold, name_tokens, tokens

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
