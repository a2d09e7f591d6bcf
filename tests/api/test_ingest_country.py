"""`POST /ingest` with `country`: phone numbers in national format, and a bad code."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.conftest import World
from tests.api.test_ingest import _upload

TABLE = b"full name,tel\nPhoebe Dial,(202) 555-0143\n"


def _quick(client: httpx.Client, dataset: str, **data: str) -> dict[str, Any]:
    files = {"file": ("phones.csv", TABLE, "text/csv")}
    return _upload(
        client,
        files,
        dataset=dataset,
        schema="Person",
        maps=["name=full name", "phone=tel"],
        **data,
    )


def test_country_reads_national_phone_numbers(world: World) -> None:
    with world.client("bob") as client:
        job = _quick(client, "uploads-phones", country="US")
        assert job["status"] == "done", job
        hits = client.get("/search", params={"q": "Phoebe Dial"}).json()["hits"]
        found = client.get(f"/entities/{hits[0]['id']}").json()
    assert [v["value"] for v in found["properties"]["phone"]] == ["+12025550143"]


def test_without_country_the_phone_is_a_row_error(world: World) -> None:
    with world.client("bob") as client:
        job = _quick(client, "uploads-phones-bare", skip_errors="true")
    assert job["status"] == "done", job
    assert [(e["file"], e["line"]) for e in job["errors"]] == [("phones.csv", 2)]
    assert "give --country" in job["errors"][0]["message"]


def test_a_bad_country_is_refused_before_the_job(world: World) -> None:
    with world.client("bob") as client:
        files = {"file": ("phones.csv", TABLE, "text/csv")}
        answer = client.post(
            "/ingest",
            files=files,
            data={"dataset": "uploads-phones-bad", "schema": "Person", "country": "eu"},
        )
    assert answer.status_code == 400, answer.text
    assert "'eu' is not a country with a phone numbering plan" in answer.json()["detail"]
