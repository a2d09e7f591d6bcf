"""A real `threadline serve --workers 2` with no `threadline worker`, over a store whose
link graph view is too large to build in a request (`INLINE_LIMIT`).

With `--no-jobs`, the graph request answers 503 while the build waits, and then says
plainly that no worker is running and how to start one; a worker started then builds
it. By default the server processes stand by: the build no worker took, they run
themselves, and the request answers 200 within seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.app.jobs.processes import free_port, serve, start, stop, until
from tests.conftest import entity
from threadline.app.jobs import JobStore, jobs_url
from threadline.app.workbench import Workbench
from threadline.graph.cache import INLINE_LIMIT
from threadline.settings import Settings

pytestmark = pytest.mark.slow  # real processes, a store of 26,000 entities
PEOPLE = INLINE_LIMIT // 2 + 500  # and as many ownerships: above the inline limit


def _ingest(data_dir: Path, folder: Path, name: str, rows: list[dict[str, Any]]) -> None:
    path = folder / f"{name}.ijson"
    path.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    with Workbench(Settings(workers=1), data_dir=data_dir) as bench:
        bench.ingest([path], name)


def _neighbours(port: int) -> httpx.Response:
    url = f"http://127.0.0.1:{port}/api/v1/graph/neighbours"
    return httpx.get(url, params={"entity_id": "p1"}, timeout=60)


def _built(port: int) -> set[str] | None:
    answer = _neighbours(port)
    if answer.status_code == 503:
        assert int(answer.headers["Retry-After"]) >= 1
        return None
    assert answer.status_code == 200, answer.text
    return {node["id"] for node in answer.json()["nodes"]}


def test_no_request_waits_forever_for_a_worker(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    people = [entity(f"p{n}", "Person", name=f"Person Number{n}") for n in range(PEOPLE)]
    owning = [entity(f"o{n}", "Ownership", owner=f"p{n}", asset=f"p{n + 1}") for n in range(PEOPLE)]
    _ingest(data_dir, tmp_path, "big", people + owning)
    port = free_port()

    # --no-jobs and no worker: 503, then a plain word on why, then a worker builds it.
    log = tmp_path / "server-none.log"
    server = serve(data_dir, log, port, "--local", "--no-jobs")
    worker: Any = None
    try:
        first = _neighbours(port)
        assert first.status_code == 503, first.text
        assert first.json()["detail"].startswith("the link graph is being built")

        def said() -> str | None:
            answer = _neighbours(port)
            assert answer.status_code == 503, answer.text
            detail: str = answer.json()["detail"]
            return detail if "none is running" in detail else None

        detail = until(said, "the 503 to say no worker runs", timeout=90)
        assert "`threadline worker`" in detail
        worker_log = tmp_path / "worker.log"
        worker = start(data_dir, worker_log, "worker", "--poll", "0.2")
        assert until(lambda: _built(port), "the worker's build", timeout=120) == {"p0", "p1", "p2"}
        assert stop(worker, worker_log) == 0, worker_log.read_text()
        worker = None
    finally:
        if worker is not None:
            stop(worker, tmp_path / "worker.log")
        assert stop(server, log) == 0, log.read_text()

    # New data makes the view stale; by default the servers stand by and build it.
    _ingest(data_dir, tmp_path, "more", [entity("o-x", "Ownership", owner="p1", asset="px")])
    log = tmp_path / "server-standby.log"
    server = serve(data_dir, log, port, "--local")
    try:
        assert _neighbours(port).status_code == 503
        found = until(lambda: _built(port), "the standby build", timeout=120)
        assert {"p0", "p1", "p2", "px"} <= found
        queue = JobStore(jobs_url(Settings(data_dir=data_dir)))
        try:
            builds = queue.jobs(kind="graph")
            assert [j.status for j in builds][:1] == ["done"] and builds[0].result["built"]
        finally:
            queue.close()
    finally:
        assert stop(server, log) == 0, log.read_text()
