"""Who else holds what a scan found (`threadline.mentions.holders`): exact after a
cheap first test, across legal forms, scripts and the spellings of numbers."""

from __future__ import annotations

import pytest

from threadline.mentions.finder import Finder, Row
from threadline.mentions.holders import Holders

KNOWN: list[Row] = [
    ("a", "Company", "name", "name", "Daimler AG", "d"),
    ("b", "Person", "name", "name", "Владимир Соколов", "d"),
    ("c", "Company", "registrationNumber", "identifier", "HRB 12345", "d"),
    ("d", "Person", "phone", "phone", "+49 30 1234567", "d"),
    ("e", "BankAccount", "iban", "identifier", "DE89370400440532013000", "d"),
    ("f", "Person", "email", "email", "Info@Halcyon-Crest.com", "d"),
]
TEXT = (
    "Daimler AG paid VLADIMIR SOKOLOV (HRB 12345), call +49 30 1234567, "
    "IBAN DE89 3704 0044 0532 0130 00, info@halcyon-crest.com"
)


@pytest.fixture
def found() -> Holders:
    holders = Holders()
    holders.add(Finder.of(KNOWN, lambda _: True).hits(TEXT))
    return holders


@pytest.mark.parametrize(
    ("row", "holds"),
    [
        (("x", "Company", "name", "name", "DAIMLER Aktiengesellschaft", "o"), True),
        (("x", "Company", "alias", "name", "Daimler", "o"), False),  # one short word
        (("x", "Person", "name", "name", "Vladimir Sokolov", "o"), True),
        (("x", "Person", "name", "name", "Vladimir Sokolova", "o"), False),
        (("x", "Company", "taxNumber", "identifier", "hrb-12345", "o"), True),
        (("x", "Company", "taxNumber", "identifier", "HRB 123456", "o"), False),
        (("x", "Person", "phone", "phone", "+49 (30) 123-4567", "o"), True),
        (("x", "Person", "phone", "phone", "+49 30 1234568", "o"), False),
        (("x", "BankAccount", "iban", "identifier", "de89 3704 0044 0532 0130 00", "o"), True),
        (("x", "Person", "email", "email", "INFO@halcyon-crest.com", "o"), True),
        (("x", "Person", "email", "email", "sales@halcyon-crest.com", "o"), False),
    ],
)
def test_may_hold(found: Holders, row: Row, holds: bool) -> None:
    assert found.may_hold(row) is holds


def test_nothing_found_holds_nothing() -> None:
    empty = Holders()
    assert not empty
    assert not empty.may_hold(KNOWN[0])


def test_a_short_key_looks_for_every_word() -> None:
    holders = Holders()
    known: list[Row] = [("a", "Company", "name", "name", "Xo Ltd", "d")]
    holders.add(Finder.of(known, lambda _: True).hits("paid to Xo Ltd"))
    assert holders.keys == {("xo", "ltd")}
    assert holders.may_hold(("x", "Company", "name", "name", "XO Limited", "o"))
    assert not holders.may_hold(("x", "Company", "name", "name", "Xa Limited", "o"))
