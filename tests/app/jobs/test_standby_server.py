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
# With --no-jobs a request is told that no worker runs after this many seconds
# (Settings.graph_no_worker_seconds, 20 by default): the first half waits for the word.
# The standby half keeps the default, longer than the standby's own wait
# (`worker.STANDBY_SECONDS`): a request told that no worker runs while a standby was
# about to take the build would leave the test racing it.
NO_WORKER_AFTER = "4"


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
    server = serve(
        data_dir,
        log,
        port,
        "--local",
        "--no-jobs",
        THREADLINE_GRAPH_NO_WORKER_SECONDS=NO_WORKER_AFTER,
    )
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
    queue = JobStore(jobs_url(Settings(data_dir=data_dir)))
    earlier = {job.id for job in queue.jobs(kind="graph")}  # the worker's, above
    log = tmp_path / "server-standby.log"
    server = serve(data_dir, log, port, "--local")
    try:
        assert _neighbours(port).status_code == 503
        found = until(lambda: _built(port), "the standby build", timeout=120)
        assert {"p0", "p1", "p2", "px"} <= found

        # No worker runs: a server process built it, as a job. Its row may say
        # "running" for a moment after the view is served, and the other process may
        # have queued a check of its own (it builds nothing once the view is fresh):
        # wait for a build of this half that is done, not for the newest job.
        def standby_built() -> bool | None:
            builds = [j for j in queue.jobs(kind="graph") if j.id not in earlier]
            return any(j.status == "done" and j.result["built"] for j in builds) or None

        until(standby_built, "the standby's build job to finish", timeout=60)
    finally:
        queue.close()
        assert stop(server, log) == 0, log.read_text()
