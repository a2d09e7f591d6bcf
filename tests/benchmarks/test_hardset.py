"""The hard resolution set: deterministic, the right shape, hard negatives as promised."""

# The cases hold Cyrillic names on purpose; RUF001 flags Cyrillic letters that look Latin.
# ruff: noqa: RUF001

from __future__ import annotations

import random
import re
from collections import Counter
from functools import cache
from typing import Any

import pytest

from tests.benchmarks import bench_module

hardset = bench_module("_hardset")
lists = bench_module("_hardset_lists")
ISO_OR_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@cache
def sample() -> Any:
    return hardset.generate(6_000, seed=3)


def test_same_seed_same_set_other_seed_other_set() -> None:
    again = hardset.generate(6_000, seed=3)
    assert again.columns == sample().columns
    assert again.truth == sample().truth
    assert again.groups == sample().groups
    assert hardset.generate(6_000, seed=4).columns != sample().columns


def test_shape_of_the_rows() -> None:
    data = sample()
    rows = list(data.rows())
    assert len(rows) == len(data) == 6_000
    assert all(list(row) == list(hardset.FIELDS) for row in rows)
    assert all(isinstance(v, str) for row in rows for v in row.values() if v is not None)
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == len(ids)
    assert set(data.truth) == set(ids)
    assert {row["schema"] for row in rows} == {"Person"}
    assert {row["dataset"] for row in rows} == {name for name, _ in hardset.DATASETS}
    assert all(row["name"] for row in rows)
    assert all(ISO_OR_PARTIAL.match(row["birth_date"]) for row in rows if row["birth_date"])
    share = sum(row["identifier"] is not None for row in rows) / len(rows)
    assert 0.2 < share < 0.4


def test_fields_are_the_match_frame_fields() -> None:
    frame = pytest.importorskip("threadline.resolve.frame")
    assert hardset.FIELDS == frame.FIELDS


def test_clusters_of_one_to_five_records_mean_about_two() -> None:
    sizes = Counter(sample().truth.values()).values()
    assert min(sizes) >= 1
    assert max(sizes) <= 5
    assert 1.8 < sum(sizes) / len(sizes) < 2.4


def test_variation_is_there() -> None:
    rows = list(sample().rows())
    names = [row["name"] for row in rows]
    assert any(re.search("[а-яё]", n.lower()) for n in names)  # Cyrillic
    assert any(re.match(r"^[A-ZÄÖÜ]\.? ", n) for n in names)  # initials
    assert any("," in n for n in names)  # "Last, First"
    addresses = [row["address"] or "" for row in rows]
    assert any("Str." in a or "str." in a for a in addresses)
    assert any("straße" in a for a in addresses)


def test_about_one_person_in_eight_is_in_a_hard_negative_group() -> None:
    data = sample()
    persons = set(data.truth.values())
    share = len(data.groups) / len(persons)
    assert 0.08 < share < 0.2
    assert {kind for _, kind in data.groups.values()} == {
        "relatives", "twins", "namesakes", "flatmates"
    }  # fmt: skip


def test_generates_exactly_the_records_asked_for() -> None:
    for n in (1, 7, 100):
        assert len(hardset.generate(n, seed=1)) == n


@pytest.mark.parametrize("kind", ["relatives", "twins", "namesakes", "flatmates"])
def test_hard_negatives_look_alike_but_differ(kind: str) -> None:
    maker = hardset._Maker(random.Random(11))
    for _ in range(50):
        base = maker.person()
        other = maker.negative(base, kind)
        assert other.key != base.key
        if kind in ("relatives", "twins"):
            assert other.address is base.address
            stem = hardset._stem(base.culture, base.last)
            assert hardset._stem(other.culture, other.last) == stem
            assert other.first != base.first
        if kind == "twins":
            assert other.born == base.born
        if kind == "relatives":
            assert other.born != base.born
        if kind == "namesakes":
            assert (other.first, other.last) == (base.first, base.last)
            assert other.born != base.born
            assert other.address.city != base.address.city
        if kind == "flatmates":
            assert other.address is base.address


@pytest.mark.parametrize(
    ("name", "system", "expected"),
    [
        ("Соколов", "en", "Sokolov"),
        ("Соколов", "de", "Sokolow"),
        ("Соколов", "fr", "Sokoloff"),
        ("Щербаков", "de", "Schtscherbakow"),
        ("Юлия", "en", "Yuliya"),
        ("Юлия", "de", "Julija"),
    ],
)
def test_transliteration(name: str, system: str, expected: str) -> None:
    russian = next(c for c in lists.CULTURES if c.key == "ru")
    assert hardset._latin(russian, name, system) == expected


@pytest.mark.parametrize(
    ("culture", "stem", "female"),
    [("ru", "Соколов", "Соколова"), ("ru", "Жукский", "Жукская"), ("ru", "Шевченко", "Шевченко"),
     ("pl", "Kowalski", "Kowalska"), ("de", "Müller", "Müller")],
)  # fmt: skip
def test_surnames_take_the_persons_gender(culture: str, stem: str, female: str) -> None:
    found = next(c for c in lists.CULTURES if c.key == culture)
    assert hardset._surname(found, stem, male=True) == stem
    assert hardset._surname(found, stem, male=False) == female
    assert hardset._stem(found, female) == stem


def test_a_typo_is_one_edit() -> None:
    rnd = random.Random(5)
    for word in ("Katharina", "Schneider", "Соколова", "12345678901"):
        typos = [hardset._typo(rnd, word, digits=word.isdigit()) for _ in range(40)]
        assert all(_edits(word, typo) <= 1 for typo in typos)
        assert all(typo[0] == word[0] for typo in typos)
        # Only a swap of two equal letters leaves the word as it was.
        assert sum(typo != word for typo in typos) >= 35


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance: insert, delete, substitute, swap neighbours."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]
