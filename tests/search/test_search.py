"""Search over ingested entities: names with typos, accents, scripts; phrases; facets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench

PEOPLE = [
    entity("p-putin-cyr", "Person", name="Владимир Путин", country="ru"),
    entity("p-putin-lat", "Person", name="Vladimir Putin", country="ru"),
    entity("p-other", "Person", name="Vladimir Nabokov", country="us"),
    entity("p-jane", "Person", name="Jane Müller", address="12 Main Street, Berlin", country="de"),
]
COMPANIES = [
    entity("c-daimler", "Company", name="Daimler Aktiengesellschaft", country="de"),
    entity("c-dvag", "Company", name="Deutsche Vermögensberatung GmbH", country="de"),
    entity("c-acme", "Company", name="Acme Limited", address="Street Main 4, Leeds", country="gb"),
    entity("o-union", "Organization", name="Trade Union of Main", country="gb"),
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    root = tmp_path_factory.mktemp("search")
    with Workbench(data_dir=root / "data") as bench:
        bench.ingest([write_entities(root / "people.ijson", PEOPLE)], "people")
        bench.ingest([write_entities(root / "companies.ijson", COMPANIES)], "companies")
        yield bench


def ids(bench: Workbench, query: str, **kwargs: object) -> list[str]:
    return [h.id for h in bench.search(query, **kwargs).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Daimlr", "c-daimler"),  # a typo
        ("daimler", "c-daimler"),  # case
        ("DAIMLER AG", "c-daimler"),  # legal form: AG = Aktiengesellschaft
        ("Vermogensberatung", "c-dvag"),  # accent dropped
        ("Vermoegensberatung", "c-dvag"),  # German transcription: two edits
        ("Acme Ltd", "c-acme"),  # Ltd = Limited
        ("jane muller", "p-jane"),
    ],
)
def test_names_match_despite_typos_case_accents_and_legal_forms(
    loaded: Workbench, query: str, expected: str
) -> None:
    assert ids(loaded, query)[:1] == [expected]


def test_transliteration_both_ways(loaded: Workbench) -> None:
    assert set(ids(loaded, "Владимир Путин")[:2]) == {"p-putin-cyr", "p-putin-lat"}
    assert set(ids(loaded, "Vladimir Putin")[:2]) == {"p-putin-cyr", "p-putin-lat"}
    assert "p-other" not in ids(loaded, "Vladimir Putin")


def test_exact_phrase_needs_the_words_in_order(loaded: Workbench) -> None:
    assert ids(loaded, '"main street"') == ["p-jane"]
    assert ids(loaded, '"street main"') == ["c-acme"]
    assert set(ids(loaded, "main street")) >= {"p-jane", "c-acme"}


def test_exact_mode_turns_off_fuzzy(loaded: Workbench) -> None:
    assert ids(loaded, "Daimlr", fuzzy=False) == []


def test_facets_count_schema_dataset_country(loaded: Workbench) -> None:
    result = loaded.search("main")
    assert result.total == 3
    assert result.facets["schema"] == {"Person": 1, "Company": 1, "Organization": 1}
    assert result.facets["dataset"] == {"companies": 2, "people": 1}
    assert result.facets["country"] == {"gb": 2, "de": 1}


def test_filters(loaded: Workbench) -> None:
    assert set(ids(loaded, "main", schema="LegalEntity")) == {"p-jane", "c-acme", "o-union"}
    assert set(ids(loaded, "main", schema="Organization")) == {"c-acme", "o-union"}
    assert ids(loaded, "main", schema="Company") == ["c-acme"]
    assert ids(loaded, "main", dataset="people") == ["p-jane"]
    assert set(ids(loaded, "main", country="gb")) == {"c-acme", "o-union"}
    assert ids(loaded, "vladimir", country="us") == ["p-other"]


def test_empty_query_lists_everything_with_facets(loaded: Workbench) -> None:
    result = loaded.search("", limit=100)
    assert result.total == len(PEOPLE) + len(COMPANIES)
    assert sum(result.facets["dataset"].values()) == result.total


def test_highlights_mark_the_matching_words(loaded: Workbench) -> None:
    hit = loaded.search("Daimlr").hits[0]
    assert hit.highlights == ["<em>Daimler</em> Aktiengesellschaft"]
    hit = loaded.search("vermogensberatung").hits[0]
    assert hit.highlights == ["Deutsche <em>Vermögensberatung</em> GmbH"]


def test_highlights_escape_html(tmp_path: Path) -> None:
    with Workbench(data_dir=tmp_path / "data") as bench:
        path = write_entities(
            tmp_path / "x.ijson", [entity("x", "Person", name="<script>alert(1)</script> Smith")]
        )
        bench.ingest([path], "x")
        (hit,) = bench.search("smith").hits
    assert "<script>" not in hit.highlights[0]
    assert "&lt;script&gt;" in hit.highlights[0]
    assert "<em>Smith</em>" in hit.highlights[0]


def test_limit_and_offset_page_through_hits(loaded: Workbench) -> None:
    everything = ids(loaded, "", limit=100)
    assert ids(loaded, "", limit=3) == everything[:3]
    assert ids(loaded, "", limit=3, offset=3) == everything[3:6]
    assert loaded.search("", limit=0).hits == []


def test_hit_fields(loaded: Workbench) -> None:
    hit = loaded.search("Daimler").hits[0]
    assert (hit.id, hit.schema, hit.caption) == (
        "c-daimler",
        "Company",
        "Daimler Aktiengesellschaft",
    )
    assert hit.datasets == ["companies"]
    assert hit.countries == ["de"]
    assert hit.score > 0


def test_reingest_updates_the_index(tmp_path: Path) -> None:
    with Workbench(data_dir=tmp_path / "data") as bench:
        bench.ingest(
            [write_entities(tmp_path / "a.ijson", [entity("x", "Person", name="Ann Lee")])], "a"
        )
        bench.ingest(
            [write_entities(tmp_path / "b.ijson", [entity("x", "Person", name="Annie Lee")])], "b"
        )
        (hit,) = bench.search("lee").hits
        assert hit.datasets == ["a", "b"]
        assert bench.index.count() == 1


def test_a_busy_index_is_a_clear_error(tmp_path: Path) -> None:
    from threadline.errors import IndexBusyError
    from threadline.search.document import IndexDocument
    from threadline.search.tantivy_index import TantivyIndex

    holder = TantivyIndex(tmp_path / "index")
    waiting = TantivyIndex(tmp_path / "index", lock_wait=0.3)
    writer = holder._writer()
    doc = IndexDocument("x", "Person", ["Person"], "X", ["d"], [], ["X"], [], "x", "x", "x")
    with pytest.raises(IndexBusyError, match="being written by another process"):
        waiting.upsert([doc])
    writer.rollback()
    del writer
    assert waiting.upsert([doc]) == 1
