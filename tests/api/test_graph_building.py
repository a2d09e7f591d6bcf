"""Graph requests over HTTP never build a large link graph view: they answer 503 with
Retry-After while a job worker builds it, then 200; a finished ingest job has the
worker rebuild it at once; the view a worker built shows each caller only what they
may read, as of the request.

The server's own worker runs the jobs (one process), over a small store whose view
counts as large (`inline_limit` 0), so the build always goes to the queue.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tests.app.jobs.processes import until
from tests.conftest import entity, write_entities
from tests.http_client import api_client
from tests.live_server import LiveServer
from threadline.access import Level, Role
from threadline.api.app import create_app
from threadline.api.state import Server
from threadline.app.context import Context
from threadline.app.jobs import Job
from threadline.app.jobs.graph import KIND
from threadline.app.verbs.graph import view_cache
from threadline.app.workbench import Workbench
from threadline.settings import Settings

A = [
    entity("anna", "Person", name="Anna Berg"),
    entity("alpha", "Company", name="Alpha Holding"),
    entity("own1", "Ownership", owner="anna", asset="alpha"),
]
B = [
    entity("boris", "Person", name="Boris Chen"),
    entity("fam1", "Family", person="anna", relative="boris"),
]


@dataclass
class Site:
    url: str
    app: FastAPI
    bench: Workbench
    tokens: dict[str, str]

    def client(self, user: str) -> httpx.Client:
        return api_client(self.url, self.tokens[user], "graph build tests")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    settings = Settings(data_dir=tmp_path / "data", require_purpose=True)
    with Workbench(settings) as bench:
        bench.ingest([write_entities(tmp_path / "a.ijson", A)], "a")
        bench.ingest([write_entities(tmp_path / "b.ijson", B)], "b")
        tokens = {
            "bob": bench.user_add("bob", Role.INVESTIGATOR).token,
            "cat": bench.user_add("cat", Role.INVESTIGATOR).token,
        }
        for dataset in ("a", "b"):
            bench.grant("bob", dataset, Level.WRITE)
        bench.grant("cat", "a", Level.READ)
        view_cache(bench).inline_limit = 0
        app = create_app(settings, bench=bench)
        with LiveServer(app) as live:
            yield Site(live.url, app, bench, tokens)


def _ids(answer: httpx.Response) -> set[str]:
    assert answer.status_code == 200, answer.text
    return {node["id"] for node in answer.json()["nodes"]}


def _neighbours(client: httpx.Client, entity_id: str) -> httpx.Response:
    return client.get("/graph/neighbours", params={"entity_id": entity_id})


def _graph_jobs(site: Site) -> list[Job]:
    server: Server = site.app.state.server
    return server.jobs.store.jobs(kind=KIND)


def _new_and_done(site: Site, before: set[str]) -> list[Job] | None:
    """The graph jobs queued since `before`, once there is one and all have ended."""
    found = _graph_jobs(site)
    new = [j for j in found if j.id not in before]
    return new if new and all(j.finished for j in found) else None


def _fresh_ids(client: httpx.Client, entity_id: str) -> set[str]:
    """The neighbours once the view is built (503 until then)."""

    def probe() -> set[str] | None:
        answer = _neighbours(client, entity_id)
        return None if answer.status_code == 503 else _ids(answer)

    return until(probe, f"neighbours of {entity_id}")


def test_a_stale_view_answers_503_until_a_worker_has_built_it(site: Site) -> None:
    with site.client("bob") as bob:
        first = _neighbours(bob, "anna")
        assert first.status_code == 503, first.text
        assert int(first.headers["Retry-After"]) >= 1
        assert first.json()["detail"].startswith("the link graph is being built")
        path = bob.get("/graph/path", params={"source": "anna", "target": "boris"})
        assert path.status_code in (200, 503)  # built by now, or not yet
        assert _fresh_ids(bob, "anna") == {"anna", "alpha", "boris"}
        assert view_cache(site.bench).built == 1  # however many requests asked
        assert [j.status for j in _graph_jobs(site)] == ["done"]  # queued once


def test_the_worker_rebuilds_the_view_after_an_ingest_job(site: Site, tmp_path: Path) -> None:
    with site.client("bob") as bob:
        until(lambda: _neighbours(bob, "anna").status_code == 200 or None, "a first view")
        before = {j.id for j in _graph_jobs(site)}
        more = [entity("own2", "Ownership", owner="anna", asset="zeta")]
        upload = write_entities(tmp_path / "more.ijson", more).read_bytes()
        answer = bob.post("/ingest", files={"file": ("more.ijson", upload)}, data={"dataset": "a"})
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["id"]

        def ingested() -> str | None:
            status: str = bob.get(f"/jobs/{job_id}").json()["status"]
            return status if status not in ("queued", "running") else None

        assert until(ingested, "ingest") == "done"
        # The worker queued a rebuild when the ingest ended, and runs it next.
        (rebuilt,) = until(lambda: _new_and_done(site, before), "a rebuild")
        assert rebuilt.result["built"] is True
        assert rebuilt.result["nodes"] == 5  # an upload's ids are its own: anna.…, zeta.…
        assert _neighbours(bob, "anna").status_code == 200  # fresh before anyone asked
        assert view_cache(site.bench).built == 2


def test_the_built_view_shows_each_caller_what_they_may_read_now(site: Site) -> None:
    with site.client("bob") as bob, site.client("cat") as cat:
        assert _fresh_ids(bob, "anna") == {"anna", "alpha", "boris"}
        assert _ids(_neighbours(cat, "anna")) == {"anna", "alpha"}  # b is not cat's
        assert _neighbours(cat, "boris").status_code == 404
        site.bench.grant("cat", "a", None)  # cat loses a: the view is fresh all the same
        assert _neighbours(cat, "anna").status_code == 404
        assert view_cache(site.bench).built == 1


def test_a_merge_and_its_undo_are_never_served_from_the_view_before(site: Site) -> None:
    bob_acts = site.bench.acting(Context(actor="bob", purpose="graph build tests"))
    with site.client("bob") as bob, site.client("cat") as cat:
        assert _fresh_ids(bob, "anna") == {"anna", "alpha", "boris"}
        merged = bob_acts.judge("anna", "boris", "same")
        assert _neighbours(bob, "anna").status_code == 503  # not the unmerged view
        node = bob_acts.store.judgements.canonical(["anna"])["anna"]
        assert _fresh_ids(bob, "anna") == {node, "alpha"}
        assert _ids(_neighbours(cat, "anna")) == {node, "alpha"}
        bob_acts.undo(merged.id)
        assert _neighbours(cat, "anna").status_code == 503  # not the merged view
        assert _fresh_ids(cat, "anna") == {"anna", "alpha"}
        assert _neighbours(cat, "boris").status_code == 404  # b is not cat's, split again
        assert view_cache(site.bench).built == 3
