"""GET /search with the document facets over a real server: facets for document type,
sender, recipient and year, the same names as filters, a bad one refused by name,
and a reader of one dataset never shown another's values."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.ingest.documents.makers import email_bytes, write
from tests.live_server import LiveServer
from threadline.access import Level, Role
from threadline.api.app import create_app
from threadline.app.workbench import Workbench
from threadline.settings import Settings

PURPOSE = "Reading the mail"


@dataclass
class World:
    url: str
    tokens: dict[str, str]

    def search(self, user: str, **params: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[user]}", "X-Purpose": PURPOSE}
        with httpx.Client(base_url=f"{self.url}/api/v1", headers=headers, timeout=60) as client:
            return client.get("/search", params={"q": "invoice", "limit": 50, **params})


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("search-facets")
    write(tmp / "leak", "deal.eml", email_bytes("Deal", "The invoice is attached"))
    secret = email_bytes(
        "Quiet",
        "Burn the invoice",
        sender="Mallory <mallory@secret.example>",
        message_id="<s1@secret.example>",
    ).replace(b"Tue, 05 Mar 2019", b"Wed, 05 Mar 2014")
    write(tmp / "secret", "quiet.eml", secret)
    settings = Settings(data_dir=tmp / "data", workers=1)
    tokens = {}
    with Workbench(settings) as bench:
        bench.ingest([tmp / "leak"], "leak")
        bench.ingest([tmp / "secret"], "secret")
        for name in ("sam", "rita"):
            tokens[name] = bench.user_add(name, Role.INVESTIGATOR).token
        bench.grant("sam", "leak", Level.READ)
        bench.grant("sam", "secret", Level.READ)
        bench.grant("rita", "leak", Level.READ)
    with LiveServer(create_app(settings)) as live:
        yield World(live.url, tokens)


def test_the_facets_come_with_every_search(world: World) -> None:
    answer = world.search("sam")
    assert answer.status_code == 200, answer.text
    facets = answer.json()["facets"]
    assert facets["doc_type"] == {"Email": 2}
    assert facets["sender"] == {"alice@example.org": 1, "mallory@secret.example": 1}
    assert facets["recipient"]["bob@example.com"] == 2
    assert facets["year"] == {"2019": 1, "2014": 1}


def test_each_facet_is_a_filter_of_the_same_name(world: World) -> None:
    by_sender = world.search("sam", sender="mallory@secret.example").json()
    assert [h["schema"] for h in by_sender["hits"]] == ["Email"]
    assert by_sender["facets"]["sender"] == {"mallory@secret.example": 1}
    assert world.search("sam", year=2019).json()["facets"]["year"] == {"2019": 1}
    assert world.search("sam", doc_type="Email", recipient="bob@example.com").json()["total"] == 2
    assert world.search("sam", doc_type="Pages").json()["total"] == 0


def test_a_bad_filter_is_refused_by_name(world: World) -> None:
    answer = world.search("sam", doc_type="Emial")
    assert answer.status_code == 422
    assert "doc_type" in answer.text and "Email" in answer.text
    assert world.search("sam", year="last").status_code == 422
    assert world.search("sam", year=0).status_code == 422


def test_a_reader_of_one_dataset_sees_only_its_values(world: World) -> None:
    facets = world.search("rita").json()["facets"]
    assert facets["sender"] == {"alice@example.org": 1}
    assert facets["year"] == {"2019": 1}
    assert "mallory" not in str(facets)
    hidden = world.search("rita", sender="mallory@secret.example").json()
    assert (hidden["total"], hidden["hits"]) == (0, [])
