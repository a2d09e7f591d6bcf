"""A small investigation with documents: records in two collections, and a leak of
documents that names them, ingested by the local admin (so mentions are found on
ingest), on a real SQLite store and tantivy index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from tests.ingest.documents.makers import pdf_bytes, write
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.settings import Settings

PURPOSE = "mention tests"
IBAN = "DE89370400440532013000"
PAGES = [
    "Invoice 2019-114 for consulting services",
    "Paid by VLADIMIR SOKOLOV to Halcyon Crest",
    "IBAN DE89 3704 0044 0532 0130 00, register HRB 12345",
]
MAIL = (
    "Dear all,\nplease write to info@Halcyon-Crest.com before Friday.\n"
    "Marguerite   Okonkwo signed. Maria said hi. Sokolova is someone else.\n"
)
RECORDS = [
    entity("p-sok", "Person", name="Владимир Соколов"),
    entity(
        "c-hal",
        "Company",
        name="Halcyon Crest Ltd",
        email="info@halcyon-crest.com",
        registrationNumber="HRB 12345",
    ),
    entity("b-acc", "BankAccount", iban=IBAN, bankName="Sparkasse"),
    entity("p-maria", "Person", name="Maria"),
]
SECRET = [entity("p-sec", "Person", name="Marguerite Okonkwo")]


def settings() -> Settings:
    """One process, the default backends."""
    return Settings(workers=1, store="sqlite", store_url=None, search="tantivy")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Records in `registry` and `secret`, then the documents in `leak`."""
    folder = tmp_path / "sources"
    registry = write_entities(tmp_path / "registry.ijson", RECORDS)
    secret = write_entities(tmp_path / "secret.ijson", SECRET)
    write(folder, "invoice.pdf", pdf_bytes(PAGES, title="Invoice"))
    write(folder, "mail.txt", MAIL.encode())
    data = tmp_path / "data"
    with Workbench(settings(), data_dir=data) as bench:
        bench.ingest([registry], "registry")
        bench.ingest([secret], "secret")
        bench.ingest([folder], "leak")
    return data


@pytest.fixture
def bench(data_dir: Path) -> Iterator[Workbench]:
    """The local admin's workbench over the world."""
    with Workbench(settings(), data_dir=data_dir) as workbench:
        yield workbench


def reader(bench: Workbench, name: str, *datasets: str) -> Workbench:
    """The workbench acting for a user who reads only `datasets`."""
    access = bench.accountability.access
    access.add_user(name, "investigator")
    for dataset in datasets:
        access.grant(name, dataset, "read")
    return bench.acting(Context(actor=name, purpose=PURPOSE))
