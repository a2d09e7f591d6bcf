"""Name keys as people write names: honorifics, transcriptions, skeletons, company names.

Table-driven: each row is a pair of names that must agree, or must not, on a key.
"""

from __future__ import annotations

import re

import pytest

from threadline.resolve.names import fold, person_name, skeleton
from threadline.resolve.orgnames import acronym_pattern, org_name
from threadline.resolve.prepare import prepare


def sk(name: str) -> str:
    return " ".join(skeleton(w) for w in fold(name).split())


# Distinct common names: no skeleton may make them equal.
DISTINCT = [
    ("Hüseyin", "Hasan"),
    ("Maria", "Mario"),
    ("Jan", "Jana"),
    ("Jan", "Joan"),
    ("Jana", "Joan"),
    ("Jan", "Ian"),
    ("Juan", "Yuan"),
    ("Joan", "Johan"),
    ("Ali", "Ala"),
    ("Ali", "Aliya"),
    ("Anna", "Anne"),
    ("Karl", "Carla"),
    ("Paul", "Paula"),
    ("Emil", "Emily"),
    ("Lena", "Lina"),
    ("Mila", "Milo"),
    ("Kenji", "Kenny"),
    ("Joey", "Joy"),
    ("Ivan", "Iwona"),
    ("Mehmet", "Ahmet"),
    ("Fatma", "Fatima"),
    ("Ayse", "Aysel"),
    ("Emre", "Emra"),
    ("Schmidt", "Smith"),
    ("Müller", "Miller"),
    ("Müller", "Möller"),
    ("Hansen", "Jansen"),
    ("Peter", "Petra"),
    ("Simon", "Simone"),
    ("Daniel", "Daniela"),
    ("Leon", "Leona"),
    ("Nina", "Nino"),
    ("Tom", "Tim"),
    ("Ben", "Bon"),
    # Pairs the earlier skeleton (vowels collapsed) made equal.
    ("Hans", "Heinz"),
    ("Jan", "John"),
    ("Jean", "John"),
    ("Joseph", "Yusuf"),
    ("Francesca", "Francesco"),
    ("Andrea", "Andrei"),
    ("Anja", "Anna"),
    ("Chiara", "Sara"),
    ("Darya", "Derya"),
    ("Johannes", "Jonas"),
    ("Jane", "Johanna"),
]

# Spellings of one name across scripts, transcriptions and keyboards: skeletons agree.
SAME = [
    ("Sokolov", "Sokolow"),
    ("Sokolov", "Соколов"),
    ("Sokolov", "Sokoloff"),
    ("Müller", "Mueller"),
    ("Müller", "Muller"),
    ("Meyer", "Meier"),
    ("Maier", "Mayer"),
    ("Dmitriy", "Dmitri"),
    ("Dmitrii", "Дмитрий"),
    ("Sergei", "Sergey"),
    ("Aleksej", "Aleksey"),
    ("Hüseyin", "Huseyin"),
    ("Hüseyin", "Hussein"),
    ("Søren", "Soeren"),
    ("Björn", "Bjoern"),
    ("Schmidt", "Schmitt"),
    ("Schmidt", "Szmidt"),
    ("Philipp", "Filip"),
    ("Wladimir", "Vladimir"),
    ("Lehmann", "Lemann"),
    ("Sarah", "Sara"),
    # Russian names in English, German, French transliteration and in Cyrillic.
    ("Anastasiya", "Anastasija"),
    ("Kuznetsov", "Kusnezow"),
    ("Zakharov", "Захаров"),
    ("Lyudmila", "Ljudmila"),
    ("Zhukov", "Schukow"),
    ("Kravchenko", "Krawtschenko"),
    ("Vasil\u02b9ev", "Vasilev"),  # a modifier prime for the soft sign
]


@pytest.mark.parametrize(("left", "right"), DISTINCT, ids=[f"{a}-{b}" for a, b in DISTINCT])
def test_distinct_common_names_keep_distinct_skeletons(left: str, right: str) -> None:
    assert sk(left) != sk(right)


@pytest.mark.parametrize(("left", "right"), SAME, ids=[f"{a}-{b}" for a, b in SAME])
def test_spellings_of_one_name_share_a_skeleton(left: str, right: str) -> None:
    assert sk(left) == sk(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Brückenbau", "BRUECKENBAU"),
        ("Müller", "Mueller"),
        ("Straße", "strasse"),
        ("Ålborg", "Aalborg"),
        ("Søren", "Soeren"),
        ("Jæger", "Jaeger"),
        ("Köln", "Koeln"),
    ],
)
def test_german_and_nordic_transcriptions_fold_alike(left: str, right: str) -> None:
    assert fold(left) == fold(right)


PEOPLE = [
    # (name, firstName, lastName) -> (first, last)
    (("Frau Johanna Quandt", "", ""), ("johanna", "quandt")),
    (("Johanna Quandt", "", ""), ("johanna", "quandt")),
    (("Herr Dr. Hans Müller", "", ""), ("hans", "mueller")),
    (("Prof. Dr. Dr. h.c. mult. Hans-Peter Müller", "", ""), ("hanspeter", "mueller")),
    (("Dr. med. Anna Berg", "", ""), ("anna", "berg")),
    (("Dipl.-Ing. Klaus Meier", "", ""), ("klaus", "meier")),
    (("Mr John Smith", "", ""), ("john", "smith")),
    (("Quandt, Johanna", "", ""), ("johanna", "quandt")),
    (("Quandt, Frau Johanna", "", ""), ("johanna", "quandt")),
    # The record's own parts win over the full name.
    (("Frau Johanna Quandt", "Johanna", "Quandt"), ("johanna", "quandt")),
    (("", "Dr. Johanna", "Quandt"), ("johanna", "quandt")),
    # One part given: the other is read from the name, rigour tagging the given one.
    (("Quandt Johanna", "Johanna", ""), ("johanna", "quandt")),
    (("Johanna Maria Quandt", "", "Quandt"), ("johanna", "quandt")),
    # A patronymic is neither given nor family name.
    (("Соколов Иван Петрович", "", ""), ("sokolov", "ivan")),
    (("Ivan Petrovich Sokolov", "", ""), ("ivan", "sokolov")),
    (("Quandt", "", ""), ("", "quandt")),
    (("", "Johanna", ""), ("johanna", "")),
    (("", "", "Quandt"), ("", "quandt")),
    (("H. Müller", "", ""), ("h", "mueller")),  # an initial, not a degree
    (("Dr. h. c. Johanna Quandt", "", ""), ("johanna", "quandt")),
    # A hyphenated given name is one name: Jun-Ho and Jun-Hee Choi are two people.
    (("", "Jun-Ho", "Choi"), ("junho", "choi")),
    (("", "Jun-hee", "Choi"), ("junhee", "choi")),
    (("Jean-Pierre Roy", "", ""), ("jeanpierre", "roy")),
    (("Roy, Jean-Pierre", "", ""), ("jeanpierre", "roy")),
    (("", "Anne-Marie Louise", "Roy"), ("annemarie", "roy")),
    (("", "Jun Ho", "Choi"), ("jun", "choi")),  # spaces: a given and a middle name
    (("Hans-Peter", "", ""), ("hans", "peter")),  # no word left for the family name
    (("", "J.-P.", "Roy"), ("j", "roy")),  # initials stay initials
]


@pytest.mark.parametrize(("given", "expected"), PEOPLE, ids=[g[0] or g[1] for g, _ in PEOPLE])
def test_person_name_parts(given: tuple[str, str, str], expected: tuple[str, str]) -> None:
    assert person_name(*given) == expected


ORGS = [
    # name, key (legal form compared), core (no legal form), tokens
    (
        "Brückenbau Hansa GmbH",
        "brueckenbau hansa gmbh",
        "brueckenbau hansa",
        ("brueckenbau", "hansa"),
    ),
    (
        "BRUECKENBAU HANSA GMBH",
        "brueckenbau hansa gmbh",
        "brueckenbau hansa",
        ("brueckenbau", "hansa"),
    ),
    (
        "Brückenbau Hansa Gesellschaft mit beschränkter Haftung",
        "brueckenbau hansa gmbh",
        "brueckenbau hansa",
        ("brueckenbau", "hansa"),
    ),
    ("Porsche Aktiengesellschaft", "porsche ag", "porsche", ("porsche",)),
    (
        "Dr. Ing. h. c. F. Porsche AG",
        "dr ing h c f porsche ag",
        "dr ing h c f porsche",
        ("dr", "ing", "porsche"),
    ),
    ("ACME Limited", "acme ltd", "acme", ("acme",)),
    ("Acme Ltd.", "acme ltd", "acme", ("acme",)),
    ("Bank of America", "bank of america", "bank of america", ("bank", "america")),
    ("The Hansa Holding GmbH", "hansa holding gmbh", "hansa holding", ("hansa", "holding")),
    # A compound on "-gesellschaft" (company) is its stem with a legal form.
    (
        "Nordwall Beteiligungsgesellschaft mbH",
        "nordwall beteiligungs gmbh",
        "nordwall beteiligungs",
        ("nordwall", "beteiligungs"),
    ),
    (
        "Nordwall Beteiligungs GmbH",
        "nordwall beteiligungs gmbh",
        "nordwall beteiligungs",
        ("nordwall", "beteiligungs"),
    ),
]


@pytest.mark.parametrize(("name", "key", "core", "tokens"), ORGS, ids=[o[0] for o in ORGS])
def test_organisation_name_keys(name: str, key: str, core: str, tokens: tuple[str, ...]) -> None:
    found = org_name(name)
    assert found is not None
    assert (found.key, found.core, found.tokens) == (key, core, tokens)


def test_a_name_of_nothing_but_a_legal_form_has_no_keys() -> None:
    assert org_name("GmbH") is None


@pytest.mark.parametrize(
    ("acronym", "long", "matches"),
    [
        ("bmw", "bayerische motorenwerke", True),
        ("ibm", "international business machines", True),
        ("bfg", "bank fuer gemeinwirtschaft", True),
        ("bmw", "bayerische motorenwerke hamburg", False),  # every word gives a letter
        ("bmw", "motorenwerke bayern", False),
        ("ibm", "internationale bauunternehmung", True),  # a word may give two letters
        ("ibm", "internationale mbau", False),  # but in order, each word its first
    ],
)
def test_acronym_patterns(acronym: str, long: str, matches: bool) -> None:
    pattern = acronym_pattern(acronym)
    assert pattern is not None
    assert bool(re.fullmatch(pattern, long)) is matches


def test_prepared_columns_keep_people_and_organisations_apart() -> None:
    table = prepare(
        [
            {"id": "p", "dataset": "d", "schema": "Person", "name": "Frau Johanna Quandt"},
            {"id": "o", "dataset": "d", "schema": "Company", "name": "BMW AG"},
            {"id": "q", "dataset": "d", "schema": "Company", "name": "Bmw Aktiengesellschaft"},
        ]
    )
    person, bmw, other = table.to_pylist()
    assert (person["first"], person["last"]) == ("johanna", "quandt")
    assert person["org_key"] is None and person["org_core"] is None
    assert person["org_tokens"] is None and person["org_core_tf"] is None
    assert (bmw["org_key"], bmw["org_core"], bmw["org_tokens"]) == ("bmw ag", "bmw", ["bmw"])
    assert bmw["org_acronym"] is not None
    assert bmw["org_core_tf"] == pytest.approx(1.0)  # both companies are called "bmw"
    assert other["org_key"] == "bmw ag"
    # Legal forms are not name words: organisations do not block on "ag".
    assert bmw["name_sks"] == ["bmv"]
