"""Highlights of long values (a page's text): the window around the first match, whole
words only, fuzzy and folded matches marked, HTML escaped, and words decided once per
query give the same marks for every hit (`search.highlight`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from threadline.search.highlight import LONG_CHARS, highlights, mark

_FILLER = "the board approved the minutes of the meeting " * 12


def test_a_long_value_is_cut_to_the_words_around_its_first_match() -> None:
    value = _FILLER + "a transfer to Gotham Holdings & co <b>bold</b> " + _FILLER
    assert len(value) > LONG_CHARS
    marked = mark(value, {"gotham", "holdings"}, fuzzy=False)
    assert marked is not None
    assert marked.startswith("…") and marked.endswith("…")
    assert "a transfer to <em>Gotham</em> <em>Holdings</em> &amp; co &lt;b&gt;bold" in marked
    # Cut at whole words: the first and last words shown are words of the value.
    shown = marked.strip("…").split()
    assert shown[0] in _FILLER.split() and shown[-1] in _FILLER.split()


def test_fuzzy_and_folded_words_are_marked_and_parts_of_words_are_not() -> None:
    value = "Çelik paid Gothem; gotham_holdings and Gotham."
    assert mark(value, {"celik", "gotham"}, fuzzy=True) == (
        "<em>Çelik</em> paid <em>Gothem</em>; gotham_holdings and <em>Gotham</em>."
    )
    assert mark(value, {"celik", "gotham"}, fuzzy=False) == (
        "<em>Çelik</em> paid Gothem; gotham_holdings and <em>Gotham</em>."
    )


def test_values_without_a_match_give_nothing_and_the_limit_holds() -> None:
    values = [_FILLER, "Gotham", "no", "gotham again", "Gotham thrice", "Gotham four"]
    assert highlights(values, {"gotham"}, fuzzy=False) == [
        "<em>Gotham</em>",
        "<em>gotham</em> again",
        "<em>Gotham</em> thrice",
    ]
    assert highlights([_FILLER * 3], {"nowhere"}, fuzzy=True) == []


_WORDS = st.sampled_from(["Gotham", "gotham", "Gothem", "ledger", "a", "<i>", "&", "Ünal"])


@given(st.lists(_WORDS, min_size=1, max_size=300), st.booleans())
def test_the_same_query_marks_a_value_the_same_every_time(words: list[str], fuzzy: bool) -> None:
    value = " ".join(words)
    first = mark(value, {"gotham", "unal"}, fuzzy)
    assert mark(value, {"gotham", "unal"}, fuzzy) == first
    if first is not None:
        assert "<i>" not in first and first.count("<em>") == first.count("</em>") >= 1
    else:
        assert not {"Gotham", "gotham", "Ünal"} & set(words)
