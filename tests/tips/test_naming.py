"""Finding a person's values in a tip: from the start of a word, ignoring case, and
blanking them; table-driven."""

from __future__ import annotations

import pytest

from threadline.tips import TipFile, new_tip
from threadline.tips.naming import Needles, blank, naming

CASES = [
    # (values, text, found)
    (["Maria Lopez"], "Ask MARIA LOPEZ about it", {"maria lopez"}),
    (["Maria Lopez"], "ask maria lopez's brother", {"maria lopez"}),
    (["Ann"], "The Annual report", set()),  # not inside a word
    (["Ann"], "ann, again", {"ann"}),
    (["Maria Lopez"], "Maria Lopes", set()),
    (["maria@harbour.example"], "mail MARIA@Harbour.example now", {"maria@harbour.example"}),
    (["+41 44 000 00 00"], "call +41 44 000 00 00", {"+41 44 000 00 00"}),
    (["(((("], "what (((( is this", {"(((("}),  # no word in it: found anywhere
    (["Zeta", "Zeta Trading"], "zeta trading and zeta", {"zeta", "zeta trading"}),
    (["  "], "  ", set()),
    ([], "anything", set()),
]


@pytest.mark.parametrize(("values", "text", "found"), CASES)
def test_values_are_found_from_the_start_of_a_word(
    values: list[str], text: str, found: set[str]
) -> None:
    assert Needles(values).found(text) == found


def test_fields_and_blanking() -> None:
    files = [TipFile("", 0, "Maria Lopez.pdf", "a" * 64, 1, "pdf")]
    tip = new_tip("from maria lopez", files, "10.0.0.1")
    fields, hits = naming(tip, Needles(["Maria Lopez"]), {"10.0.0.1"})
    assert (fields, hits) == (["text", "file name", "address"], {"maria lopez"})
    assert naming(tip, Needles(["Nobody"]), ()) == ([], set())
    assert blank("Maria Lopez met MARIA LOPEZ and Maria", ["maria lopez", "maria"]) == (
        "[erased] met [erased] and [erased]"
    )
    assert blank("a.b", ["."]) == "a[erased]b" and blank("text", []) == "text"
