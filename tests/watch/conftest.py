"""Fixtures of the watch tests: a real workbench (SQLite store, tantivy index) whose
alerts go to a local SMTP sink and a local webhook receiver (allowed by setting); the
store tests' backends come from `tests.store_urls`."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_entities
from tests.store_urls import store_url  # noqa: F401 (a fixture, for the store tests)
from tests.watch.servers import Hooks, Inbox, smtp_sink, webhook_receiver
from threadline.app.workbench import Workbench
from threadline.settings import Settings

_files = itertools.count()


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with smtp_sink() as sink:
        yield sink


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    with webhook_receiver() as receiver:
        yield receiver


def settings_for(tmp_path: Path, inbox: Inbox | None = None, **more: Any) -> Settings:
    """Settings of a test data directory, mailing to the sink, webhooks to loopback."""
    values: dict[str, Any] = {"data_dir": tmp_path / "data", "webhook_allow": ["127.0.0.1/32"]}
    if inbox is not None:
        values |= {"smtp_host": inbox.host, "smtp_port": inbox.port}
    return Settings(**(values | more))


@pytest.fixture
def watched(tmp_path: Path, inbox: Inbox) -> Iterator[Workbench]:
    """A workbench with collections alpha (a person, two companies) and beta (empty of
    links), mailing alerts to the SMTP sink."""
    with Workbench(settings_for(tmp_path, inbox)) as bench:
        add(bench, tmp_path, "alpha", person("p1", "Maria Lopez"), company("c1", "Acme Holdings"))
        add(bench, tmp_path, "alpha", company("c9", "Zeta Trading"))
        add(bench, tmp_path, "beta", company("b1", "Gamma Freight"))
        yield bench


def add(bench: Workbench, tmp_path: Path, dataset: str, *rows: dict[str, Any]) -> None:
    """Ingest these entities into `dataset`."""
    path = write_entities(tmp_path / f"rows-{next(_files)}.ijson", list(rows))
    bench.ingest([path], dataset)


def person(entity_id: str, name: str) -> dict[str, Any]:
    return {"id": entity_id, "schema": "Person", "properties": {"name": [name]}}


def company(entity_id: str, name: str) -> dict[str, Any]:
    return {"id": entity_id, "schema": "Company", "properties": {"name": [name]}}


def owns(entity_id: str, owner: str, asset: str) -> dict[str, Any]:
    props = {"owner": [owner], "asset": [asset]}
    return {"id": entity_id, "schema": "Ownership", "properties": props}
