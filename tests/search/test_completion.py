"""Name completion (`SearchQuery.prefix`, behind `Workbench.suggest`): names only, the
last word as the start of a word, typos in longer words, scripts, and a typed id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench

ROWS = [
    entity("p-putin", "Person", name="Владимир Путин", country="ru"),
    entity("p-nabokov", "Person", name="Vladimir Nabokov", country="us"),
    entity("p-jane", "Person", name="Jane Müller", address="12 Main Street, Berlin"),
    entity("c-daimler", "Company", name="Daimler Aktiengesellschaft", country="de"),
    entity("c-main", "Company", name="Mainline Freight GmbH", country="de"),
]


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    root = tmp_path_factory.mktemp("completion")
    with Workbench(data_dir=root / "data") as workbench:
        workbench.ingest([write_entities(root / "rows.ijson", ROWS)], "rows")
        yield workbench


def ids(bench: Workbench, query: str, **kwargs: Any) -> list[str]:
    return [h.id for h in bench.suggest(query, **kwargs).hits]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Daim", {"c-daimler"}),  # an unfinished word
        ("mainline fr", {"c-main"}),  # whole words, then the start of one
        ("Vladimir", {"p-putin", "p-nabokov"}),  # across scripts
        ("Vladimir Nab", {"p-nabokov"}),
        ("Nabokof", {"p-nabokov"}),  # a typo in a longer word
        ("Müll", {"p-jane"}),
        ("mull", {"p-jane"}),  # accents folded
        ("Main", {"c-main"}),  # names only: Jane's address says Main, her name does not
        ("c-daimler", {"c-daimler"}),  # an id typed whole
    ],
)
def test_completes(bench: Workbench, typed: str, expected: set[str]) -> None:
    assert set(ids(bench, typed)) == expected


def test_filters_and_limit(bench: Workbench) -> None:
    assert ids(bench, "Vladimir", schema="Person", country="us") == ["p-nabokov"]
    assert ids(bench, "Daim", schema="Person") == []
    assert ids(bench, "Daim", dataset="elsewhere") == []
    assert len(bench.suggest("Vladimir", limit=1).hits) == 1
    assert bench.suggest("Vladimir", limit=1).total == 2
    assert bench.suggest("Daim").facets == {}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query": " d "}, "query: type at least 2 characters"),
        ({"query": "Daim", "limit": 0}, "limit: must be between 1 and 50"),
        ({"query": "Daim", "schema": "Persn"}, "schema: no schema named 'Persn'"),
    ],
)
def test_bad_input_names_the_parameter(
    bench: Workbench, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        bench.suggest(**kwargs)
