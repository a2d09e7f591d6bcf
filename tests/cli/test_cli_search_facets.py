"""`threadline search --doc-type/--sender/--recipient/--year`: the document facets as
options, printed facets, and a bad value refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.runner import cli, ok
from tests.conftest import entity, write_entities
from tests.ingest.documents.makers import email_bytes, write


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cli-facets")
    write(tmp / "mail", "deal.eml", email_bytes("Deal", "The Halcyon invoice"))
    records = write_entities(
        tmp / "books.ijson",
        [entity("pay-1", "Payment", purpose="Halcyon invoice", date="2020-02-03")],
    )
    folder = tmp / "data"
    ok(folder, "ingest", str(tmp / "mail"), "--dataset", "mail")
    ok(folder, "ingest", str(records), "--dataset", "books")
    return folder


def _schemata(data: Path, *options: str) -> list[str]:
    lines = ok(data, "search", "halcyon", "--json", *options).lines()
    return sorted(str(line["schema"]) for line in lines[:-1])


def test_the_facets_are_printed_with_the_hits(data: Path) -> None:
    final = ok(data, "search", "halcyon", "--json").lines()[-1]
    facets = final["facets"]
    assert isinstance(facets, dict)
    assert facets["doc_type"] == {"Email": 1}
    assert facets["sender"] == {"alice@example.org": 1}
    assert facets["year"] == {"2019": 1, "2020": 1}
    table = ok(data, "search", "halcyon").stdout
    assert "sender: alice@example.org (1)" in table


def test_each_option_filters(data: Path) -> None:
    assert _schemata(data) == ["Email", "Payment"]
    assert _schemata(data, "--doc-type", "Email") == ["Email"]
    assert _schemata(data, "--sender", "ALICE@example.org") == ["Email"]
    assert _schemata(data, "--recipient", "carol@example.net") == ["Email"]
    assert _schemata(data, "--year", "2020") == ["Payment"]
    assert _schemata(data, "--year", "2020", "--doc-type", "Email") == []


def test_a_bad_value_is_refused_by_name(data: Path) -> None:
    done = cli(data, "search", "halcyon", "--doc-type", "Emial")
    assert done.code == 2
    assert "no document type 'Emial'" in done.stderr and "Email" in done.stderr
    done = cli(data, "search", "halcyon", "--year", "0")
    assert done.code == 2 and "--year" in done.stderr
