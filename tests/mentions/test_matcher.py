"""The mention finder on its own: which names are evidence, whole-token matching,
offsets into the original text, and identifiers found by pattern."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from threadline.mentions.finder import Finder
from threadline.mentions.keys import MAX_HOLDERS, identifier_key, name_keys
from threadline.mentions.matcher import Matcher, Target
from threadline.mentions.view import snippet

T = Target("e1", "Person", "records")


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        ("Владимир Соколов", "paid to VLADIMIR SOKOLOV.", "VLADIMIR SOKOLOV"),
        ("Jane Müller", "jane MULLER signed", "jane MULLER"),
        ("Jane Muller", "Jane Müller signed", "Jane Müller"),
        ("Jane Muller", "Jane Mu\u0308ller signed", "Jane Mu\u0308ller"),  # decomposed
        ("Daimler Aktiengesellschaft", "Daimler AG sold", "Daimler AG"),
        ("Halcyon Crest Ltd", "Halcyon Crest's invoice", "Halcyon Crest"),
        ("Halcyon Crest Ltd", "Halcyon\n  Crest Ltd", "Halcyon\n  Crest Ltd"),
        # Without spaces between words, a match spans the run of characters around it.
        ("中国银行", "账户在中国银行", "账户在中国银行"),
        ("中国银行", "账户 中国银行 的", "中国银行"),
        ("Sokolov Trading", "Sokolova Trading", None),  # whole tokens only
        ("Maria", "Maria said", None),  # one short word is no evidence
        ("Halcyon", "the Halcyon days", "Halcyon"),  # one word of six letters or more is
    ],
)
def test_names(name: str, text: str, found: str | None) -> None:
    matcher = Matcher()
    matcher.add_name(name, T)
    hits = list(matcher.find(text))
    assert [h.text for h in hits] == ([found] if found else [])
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text


@pytest.mark.parametrize(
    ("value", "key"),
    [("HRB 12345", ("hrb", "12345")), ("12", None), ("ABCDEFG", None), ("A-1", None)],
)
def test_identifier_keys(value: str, key: tuple[str, ...] | None) -> None:
    assert identifier_key(value) == key


def test_evidence_rule() -> None:
    assert name_keys("Bank") == frozenset()
    assert name_keys("12345678") == frozenset()
    assert ("deutsche", "bank") in name_keys("Deutsche Bank AG")


def test_a_name_held_by_too_many_entities_points_at_none() -> None:
    matcher = Matcher()
    for n in range(MAX_HOLDERS + 1):
        matcher.add_name("John Smith", Target(f"p{n}", "Person", "records"))
    matcher.add_name("Jane Smith", Target("p-jane", "Person", "records"))
    matcher.add_name("Jane Smith", Target("p-jane2", "Person", "records"))
    assert matcher.build() == 1
    [hit] = matcher.find("John Smith met Jane Smith")
    assert hit.text == "Jane Smith"
    assert [t.entity_id for t in hit.targets] == ["p-jane", "p-jane2"]


def test_identifiers_by_pattern() -> None:
    rows = [
        ("c1", "Company", "email", "email", "info@halcyon-crest.com", "r"),
        ("c1", "Company", "phone", "phone", "+49301234567", "r"),
        ("b1", "BankAccount", "iban", "identifier", "DE89370400440532013000", "r"),
        ("c1", "Company", "name", "name", "Halcyon Crest", "r"),
    ]
    finder = Finder.of(rows, lambda dataset: True)
    text = (
        "Mail INFO@halcyon-crest.com or call +49 30 1234567; pay DE89 3704 0044 0532 0130 00, "
        "not DE89 3704 0044 0532 0130 01 (checksum) nor +49 30 7654321."
    )
    found = {(h.kind, h.text, value) for h, value in finder.hits(text)}
    assert found == {
        ("email", "INFO@halcyon-crest.com", "info@halcyon-crest.com"),
        ("phone", "+49 30 1234567", "+49301234567"),
        ("iban", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    }


@given(
    before=st.text(max_size=40),
    after=st.text(max_size=40),
    gap=st.sampled_from([" ", "  ", "\n", " \t "]),
)
# "¼" folds to two tokens and "ꟺ" to none: as many words as tokens, shifted spans.
@example(before="¼", after="ꟺ", gap=" ")
def test_offsets_slice_back_to_the_name(before: str, after: str, gap: str) -> None:
    matcher = Matcher()
    matcher.add_name("Marguerite Okonkwo", T)
    text = f"{before} Marguerite{gap}Okonkwo {after}"
    hits = [h for h in matcher.find(text) if text[h.start : h.end].startswith("Marguerite")]
    assert hits, text
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text
        assert hit.text.split() == ["Marguerite", "Okonkwo"]


def test_snippet_cuts_at_spaces() -> None:
    text = "a" * 10 + " one two three NAME four five six " + "b" * 10
    start = text.index("NAME")
    cut = snippet(text, start, start + 4, width=12)
    assert (cut.before, cut.match, cut.after) == ("…two three ", "NAME", " four five…")
