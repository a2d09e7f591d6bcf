"""Shared co-inventors weighed by how common their names are, end to end: patents as
FtM Documents naming their inventors, ingested, resolved and explained.

Two inventors who each worked with a "Wei Wang" may have worked with two different
people of that name; two who each worked with an "Austin Gurney" most likely worked
with the same one. A name is common when its words are: the store's person names decide.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.resolve.relations import (
    COMMON,
    common_names,
    neighbour_names,
    neighbour_names_of,
    person_key,
)

ONE = "a person of a rare name in common"
TWO = "two names or more in common, a person of a rare name among them"
WEAK = "only organisations or common names in common"
# Surnames and given names each held once: "Wei" and "Wang" are held by every one.
_RARE = [f"Q{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(60)]


def _names() -> list[str]:
    """A population of names in which "Wei" and "Wang" are common words."""
    return [f"Wei {r}son" for r in _RARE] + [f"{r}ina Wang" for r in _RARE]


def test_common_words_make_a_common_name() -> None:
    keys = [k for k in map(person_key, [*_names(), "Wei Wang", "Austin Gurney"]) if k]
    found = common_names(keys)
    assert person_key("Wei Wang") in found
    assert person_key("Austin Gurney") not in found
    assert not any(person_key(n) in found for n in _names())  # one common word each


@pytest.mark.parametrize(
    "keys",
    [
        ["a b"],  # a single name is held once
        ["madonna", "cher"],  # one-word names held once each
        ["a b", "c d", "e f"],
    ],
)
def test_names_held_once_are_never_common(keys: list[str]) -> None:
    assert common_names(keys) == set()


def _patent(n: int, inventor: str, others: list[str], assignee: str) -> list[dict[str, Any]]:
    """A patent as PatentsView's benchmark writes it: a Document naming its inventors,
    and a Documentation linking the inventor's mention to it."""
    return [
        entity(f"pat{n}", "Document", title=f"US-{n}", peopleMentioned=[inventor, *others],
               companiesMentioned=assignee),
        entity(f"m{n}", "Person", name=inventor),
        entity(f"link{n}", "Documentation", document=f"pat{n}", entity=f"m{n}"),
    ]  # fmt: skip


# label, co-inventors of the first patent, of the second, the relations level.
CASES: list[tuple[str, list[str], list[str], str]] = [
    ("a rare co-inventor", ["Austin Gurney"], ["Austin L. Gurney"], ONE),
    ("a common co-inventor", ["Wei Wang"], ["WANG, Wei"], WEAK),
    ("a rare and a common one", ["Austin Gurney", "Wei Wang"], ["Austin Gurney", "Wei Wang"], TWO),
    ("two common ones", ["Wei Wang", "Wei Qabson"], ["Wei Wang", "Wei Qabson"], TWO),
]


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Workbench:
    folder = tmp_path_factory.mktemp("rarity")
    rows = [entity(f"pop{n}", "Person", name=name) for n, name in enumerate(_names())]
    for number, (_, first, second, _) in enumerate(CASES):
        rows += _patent(2 * number, f"Hiroshi Tanaka{number}", first, "Acme Inc")
        rows += _patent(2 * number + 1, f"Hiroshi Tanaka{number}", second, "Initech")
    workbench = Workbench(data_dir=folder / "data")
    workbench.ingest([write_entities(folder / "patents.json", rows)], "patents")
    workbench.resolve()
    return workbench


@pytest.mark.parametrize("number", range(len(CASES)), ids=[c[0] for c in CASES])
def test_shared_co_inventors_by_rarity(bench: Workbench, number: int) -> None:
    label, _, _, level = CASES[number]
    explained = bench.explain(f"m{2 * number}", f"m{2 * number + 1}")
    relations = next(f for f in explained.features if f.name == "relations")
    assert relations.label == level, label


def test_a_rare_co_inventor_weighs_more_than_a_common_one(bench: Workbench) -> None:
    rare, common = (
        next(f for f in bench.explain(f"m{2 * n}", f"m{2 * n + 1}").features
             if f.name == "relations")
        for n in (0, 1)
    )  # fmt: skip
    assert rare.weight > common.weight


def test_resolve_and_explain_read_the_same_names(bench: Workbench) -> None:
    ids = [f"m{n}" for n in range(2 * len(CASES))]
    batch = neighbour_names(bench.store, ids).to_pylist()
    assert batch == neighbour_names_of(bench.store, ids).to_pylist()
    assert COMMON + "wang wei" in batch[2]
    assert "austin gurney" in batch[0]
