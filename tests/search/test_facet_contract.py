"""The document facets every SearchIndex backend honours: document type, sender,
recipient and year are counted over the readable part of each match, and each one
filters; a value only an unreadable dataset holds is never counted nor found."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from threadline.search import IndexDocument, SearchIndex, SearchQuery, open_index
from threadline.settings import Settings

# Every backend the registry knows; each must pass this whole module.
BACKENDS = ["tantivy"]


def _doc(
    entity_id: str,
    schema: str,
    datasets: list[str],
    text: str,
    *,
    absent: list[str] | None = None,
    doc_type: list[str] | None = None,
    senders: list[str] | None = None,
    recipients: list[str] | None = None,
    years: list[str] | None = None,
) -> IndexDocument:
    return IndexDocument(
        id=entity_id,
        schema=schema,
        schemata=[schema, "Document"] if doc_type else [schema],
        caption=entity_id,
        datasets=datasets,
        countries=[],
        names=[],
        values=[text],
        name_text="",
        name_grams="",
        full_text=text,
        absent=absent or [],
        doc_type=doc_type or [],
        senders=senders or [],
        recipients=recipients or [],
        years=years or [],
    )


DOCUMENTS = [
    _doc(
        "mail-1",
        "Email",
        ["leak"],
        "invoice",
        doc_type=["Email"],
        senders=["alice@example.org"],
        recipients=["bob@example.com", "carol@example.net"],
        years=["2019"],
    ),
    _doc("report", "Pages", ["leak"], "invoice", doc_type=["Pages"], years=["2021"]),
    _doc("report-p1", "Page", ["leak"], "invoice", doc_type=["Pages"], years=["2021"]),
    _doc("payment", "Payment", ["leak"], "invoice", years=["2019"]),
    _doc("person", "Person", ["leak"], "invoice"),
    # Only in a dataset the reader may not read.
    _doc(
        "mail-2",
        "Email",
        ["secret"],
        "invoice",
        doc_type=["Email"],
        senders=["mallory@secret.example"],
        years=["2015"],
    ),
    # A merged mail: the whole, and the slices a reader of one dataset sees.
    _doc(
        "mail-3",
        "Email",
        ["leak", "secret"],
        "invoice",
        doc_type=["Email"],
        senders=["alice@example.org", "trent@secret.example"],
        years=["2016"],
    ),
    _doc(
        "mail-3",
        "Email",
        ["leak"],
        "invoice",
        absent=["secret"],
        doc_type=["Email"],
        senders=["alice@example.org"],
    ),
    _doc(
        "mail-3",
        "Email",
        ["secret"],
        "invoice",
        absent=["leak"],
        doc_type=["Email"],
        senders=["trent@secret.example"],
        years=["2016"],
    ),
]
LEAK_ONLY = {"visible": frozenset({"leak"}), "hidden": frozenset({"secret"})}


@pytest.fixture(scope="module", params=BACKENDS)
def index(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchIndex]:
    root = tmp_path_factory.mktemp(f"facets-{request.param}")
    opened = open_index(Settings(data_dir=root, search=request.param))
    opened.upsert(DOCUMENTS)
    yield opened
    opened.close()


def _ids(index: SearchIndex, **filters: object) -> list[str]:
    result = index.search(SearchQuery(text="invoice", limit=50, **filters))  # type: ignore[arg-type]
    return sorted(hit.id for hit in result.hits)


def test_every_facet_is_counted_over_all_matches(index: SearchIndex) -> None:
    facets = index.search(SearchQuery(text="invoice")).facets
    assert facets["doc_type"] == {"Email": 3, "Pages": 2}
    assert facets["sender"] == {
        "alice@example.org": 2,
        "mallory@secret.example": 1,
        "trent@secret.example": 1,
    }
    assert facets["recipient"] == {"bob@example.com": 1, "carol@example.net": 1}
    assert facets["year"] == {"2019": 2, "2021": 2, "2015": 1, "2016": 1}


def test_each_facet_filters(index: SearchIndex) -> None:
    assert _ids(index, doc_type="Email") == ["mail-1", "mail-2", "mail-3"]
    assert _ids(index, doc_type="Pages") == ["report", "report-p1"]  # a page is its PDF's
    assert _ids(index, sender="alice@example.org") == ["mail-1", "mail-3"]
    assert _ids(index, recipient="carol@example.net") == ["mail-1"]
    assert _ids(index, year=2019) == ["mail-1", "payment"]  # documents and records
    assert _ids(index, year=2019, doc_type="Email") == ["mail-1"]
    assert _ids(index, year=1999) == []


def test_addresses_match_in_any_case_and_spacing(index: SearchIndex) -> None:
    assert _ids(index, sender="  Alice@Example.ORG ") == ["mail-1", "mail-3"]
    assert _ids(index, recipient="BOB@example.com") == ["mail-1"]


def test_filters_count_only_what_they_keep(index: SearchIndex) -> None:
    facets = index.search(SearchQuery(text="invoice", doc_type="Email")).facets
    assert facets["doc_type"] == {"Email": 3}
    assert facets["year"] == {"2019": 1, "2015": 1, "2016": 1}
    assert facets["schema"] == {"Email": 3}


def test_a_reader_never_sees_a_facet_value_of_a_dataset_they_cannot_read(
    index: SearchIndex,
) -> None:
    result = index.search(SearchQuery(text="invoice", **LEAK_ONLY))  # type: ignore[arg-type]
    assert result.facets["sender"] == {"alice@example.org": 2}  # not mallory, not trent
    # mail-3's only date is in `secret`: the slice a leak reader sees has no year.
    assert result.facets["year"] == {"2019": 2, "2021": 2}
    assert result.facets["doc_type"] == {"Email": 2, "Pages": 2}
    hidden = [
        {"sender": "mallory@secret.example"},
        {"sender": "trent@secret.example"},
        {"year": 2015},
        {"year": 2016},
    ]
    for wanted in hidden:
        found = index.search(SearchQuery(text="invoice", **LEAK_ONLY, **wanted))  # type: ignore[arg-type]
        assert (found.total, found.hits, found.facets["sender"]) == (0, [], {}), wanted


def test_a_reader_of_nothing_gets_no_counts(index: SearchIndex) -> None:
    result = index.search(SearchQuery(text="invoice", visible=frozenset()))
    assert result.total == 0
    assert all(counts == {} for counts in result.facets.values())


def test_no_facets_when_none_are_asked_for(index: SearchIndex) -> None:
    assert index.search(SearchQuery(text="invoice", facets=False)).facets == {}


def test_opening_an_index_of_an_older_schema_says_to_rebuild(tmp_path: Path) -> None:
    from threadline.errors import IndexOutdated
    from threadline.search.tantivy_index import TantivyIndex

    old = TantivyIndex(tmp_path / "index")
    old.upsert(DOCUMENTS[:1])
    old.close()
    (tmp_path / "index" / "threadline-schema").write_text("2")  # before document facets
    with pytest.raises(IndexOutdated, match="threadline reindex"):
        TantivyIndex(tmp_path / "index")
