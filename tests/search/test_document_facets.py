"""Document facets end to end: real files ingested (an e-mail with From, To and Cc, a
PDF with a creation date), records beside them, one query over both, facets for
document type, sender, recipient and year, and filters by each, as each reader may
see them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from tests.ingest.documents.makers import email_bytes, write
from threadline.access import Level
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.demo.pdf import pdf_document
from threadline.errors import IndexOutdated
from threadline.search.tantivy_index import SCHEMA_VERSION

TOPIC = "Halcyon"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    root = tmp_path_factory.mktemp("document-facets")
    leak, secret = root / "leak", root / "secret"
    write(leak, "deal.eml", email_bytes("Deal", f"Transfer to {TOPIC} Crest"))
    report = pdf_document([[f"{TOPIC} Crest annual report"]], created=datetime(2021, 6, 1))
    write(leak, "report.pdf", report)
    mallory = email_bytes(
        "Quiet",
        f"Pay {TOPIC} in cash",
        sender="Mallory <mallory@secret.example>",
        to="Trent <trent@secret.example>",
        message_id="<s1@secret.example>",
    ).replace(b"Tue, 05 Mar 2019", b"Wed, 05 Mar 2014")
    write(secret, "quiet.eml", mallory)
    records = write_entities(
        root / "records.ijson",
        [
            entity("c-halcyon", "Company", name=f"{TOPIC} Crest Ltd", country="cy"),
            entity("pay-1", "Payment", purpose=f"{TOPIC} consulting", date="2019-08-14"),
        ],
    )
    with Workbench(data_dir=root / "data") as bench:
        bench.ingest([leak], "leak")
        bench.ingest([records], "leak")
        bench.ingest([secret], "secret")
        yield bench


def _ids(bench: Workbench, **filters: object) -> dict[str, str]:
    result = bench.search(TOPIC, limit=50, **filters)  # type: ignore[arg-type]
    return {hit.id: hit.schema for hit in result.hits}


def test_records_and_documents_come_with_document_facets(loaded: Workbench) -> None:
    result = loaded.search(TOPIC, limit=50)
    schemata = {hit.schema for hit in result.hits}
    assert {"Company", "Payment", "Email", "Page"} <= schemata
    facets = result.facets
    assert facets["doc_type"] == {"Email": 2, "Pages": 1}  # the PDF's page is a Pages hit
    assert facets["sender"] == {"alice@example.org": 1, "mallory@secret.example": 1}
    assert facets["recipient"] == {
        "bob@example.com": 1,
        "carol@example.net": 2,  # email_bytes copies carol on every message
        "trent@secret.example": 1,
    }
    # The mails by their Date, the PDF page by its document's creation date, the
    # payment by its date; the company is dated by nothing.
    assert facets["year"] == {"2019": 2, "2021": 1, "2014": 1}


def test_filters_by_document_type_sender_recipient_and_year(loaded: Workbench) -> None:
    assert set(_ids(loaded, doc_type="Email").values()) == {"Email"}
    assert len(_ids(loaded, doc_type="email")) == 2  # any case names the type
    assert set(_ids(loaded, doc_type="Pages").values()) == {"Page"}
    assert set(_ids(loaded, sender="alice@example.org").values()) == {"Email"}
    assert set(_ids(loaded, recipient="trent@secret.example").values()) == {"Email"}
    assert set(_ids(loaded, year=2019).values()) == {"Email", "Payment"}
    assert set(_ids(loaded, year=2021).values()) == {"Page"}
    assert _ids(loaded, year=2019, sender="mallory@secret.example") == {}


def test_a_bad_filter_is_refused_by_name(loaded: Workbench) -> None:
    with pytest.raises(ValueError, match=r"doc_type: no document type 'Emial'.*Email"):
        loaded.search(TOPIC, doc_type="Emial")
    with pytest.raises(ValueError, match="year: 0 is not a year"):
        loaded.search(TOPIC, year=0)


def test_a_reader_sees_no_facet_value_of_a_dataset_they_cannot_read(loaded: Workbench) -> None:
    token = loaded.user_add("rita").token
    loaded.grant("rita", "leak", Level.READ)
    rita = loaded.acting(Context(token=token, purpose="testing facets"))
    facets = rita.search(TOPIC, limit=50).facets
    assert facets["sender"] == {"alice@example.org": 1}
    assert facets["recipient"] == {"bob@example.com": 1, "carol@example.net": 1}
    assert facets["year"] == {"2019": 2, "2021": 1}
    assert facets["doc_type"] == {"Email": 1, "Pages": 1}
    assert rita.search(TOPIC, sender="mallory@secret.example").total == 0
    assert rita.search(TOPIC, year=2014).total == 0


def test_an_index_of_the_previous_schema_is_rebuilt_by_reindex(tmp_path: Path) -> None:
    records = write_entities(
        tmp_path / "r.ijson", [entity("pay-2", "Payment", purpose="rent", date="2018-01-02")]
    )
    with Workbench(data_dir=tmp_path / "data") as bench:
        bench.ingest([records], "books")
    marker = tmp_path / "data" / "index" / "threadline-schema"
    marker.write_text(str(int(SCHEMA_VERSION) - 1))  # as the last release left it
    with Workbench(data_dir=tmp_path / "data") as bench:
        with pytest.raises(IndexOutdated, match="threadline reindex"):
            bench.search("rent")
        assert bench.reindex() == 1
        assert bench.search("rent").facets["year"] == {"2018": 1}
    assert marker.read_text() == SCHEMA_VERSION
