"""`GET /api/v1/failures` over a live local-mode server on a real data directory."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.live_server import LiveServer
from threadline.api.app import create_app
from threadline.app.workbench import Workbench
from threadline.settings import Settings

from .makers import write


def test_failures_route_lists_failed_documents(tmp_path: Path) -> None:
    data = tmp_path / "data"
    broken = write(tmp_path / "in", "broken.pdf", b"%PDF-1.4 nothing after this")
    settings = Settings(data_dir=data, store="sqlite", store_url=None, search="tantivy")
    with Workbench(settings) as bench:
        bench.ingest([broken.parent], "leak")
    with (
        LiveServer(create_app(settings, local=True)) as live,
        httpx.Client(base_url=f"{live.url}/api/v1") as client,
    ):
        listed = client.get("/failures").json()
        other = client.get("/failures", params={"dataset": "nope"})
    (row,) = listed
    assert (row["dataset"], row["schema"], row["file_names"]) == ("leak", "Pages", ["broken.pdf"])
    assert "not a readable PDF" in row["errors"][0] and row["status"] == "failure"
    assert other.status_code == 404
