"""`POST /match-file?wait=false`: a list screened as a persistent job on a real server
(its in-process worker), polled for progress, its results downloaded by the one who
screened it only, each download audited."""

from __future__ import annotations

import csv
import hashlib
import io
import time
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.api.conftest import PURPOSE, World
from tests.api.test_match import bench_of
from tests.api.test_match_file import LIST, MAPS
from threadline.audit import ActionKind
from threadline.demo import STORY


def _submit(client: httpx.Client, **form: Any) -> dict[str, Any]:
    data = {"schema": "LegalEntity", "maps": MAPS, **form}
    answer = client.post(
        "/match-file", params={"wait": "false"}, files={"file": ("officials.csv", LIST)}, data=data
    )
    assert answer.status_code == 202, answer.text
    job: dict[str, Any] = answer.json()
    assert job["kind"] == "match-file" and job["download"] is None
    return job


def _finished(client: httpx.Client, job: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
        answer = client.get(f"/match-file/jobs/{job['id']}")
        assert answer.status_code == 200, answer.text
        job = answer.json()
    return job


def test_a_list_screened_as_a_job_is_polled_and_downloaded(world: World) -> None:
    log = bench_of(world).accountability
    before = len(list(log.events()))
    with world.client("cat", **{"X-Request-Id": "match-file-job"}) as client:
        job = _finished(client, _submit(client))
        assert job["status"] == "done", job
        assert job["stage"]["done"] == job["stage"]["total"] == 3
        assert job["stage"]["unit"] == "rows"
        result = job["result"]
        assert (result["screened"], result["with_candidates"], result["format"]) == (3, 2, "csv")
        assert result["sha256"] == hashlib.sha256(LIST).hexdigest()
        header = result["header"]
        preview = [dict(zip(header, r, strict=True)) for r in result["preview"]]
        assert any(r["caption"] == STORY.contractor for r in preview)
        assert job["download"] == f"/api/v1/match-file/jobs/{job['id']}/result"
        answer = client.get(f"/match-file/jobs/{job['id']}/result")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert "officials-screened.csv" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert {r["Note"] for r in rows} == {"contractor", "relative", "nobody"}
    assert len(rows) == result["rows"]
    events = [e for e in list(log.events())[before:] if e.request_id == "match-file-job"]
    assert [e.action for e in events] == ["match"] * 3 + ["match-file", "match-file.download"]
    download = events[-1]
    assert (download.kind, download.actor, download.purpose) == (
        ActionKind.DISCLOSURE,
        "cat",
        PURPOSE,
    )
    assert list(download.object_ids) == [f"job:{job['id']}"]
    assert f"file=sha256:{result['sha256']}" in download.detail


def test_only_its_owner_sees_or_downloads_a_screening_job(world: World) -> None:
    with world.client("cat") as client:
        job = _finished(client, _submit(client, format="xlsx"))
        mine = client.get(f"/match-file/jobs/{job['id']}/result")
    assert mine.status_code == 200, mine.text
    sheet = load_workbook(io.BytesIO(mine.content), read_only=True).worksheets[0]
    assert next(sheet.iter_rows(values_only=True))[:4] == ("row", "Name", "Registration", "Note")
    with world.client("bob") as other:
        assert other.get(f"/match-file/jobs/{job['id']}").status_code == 404
        stolen = other.get(f"/match-file/jobs/{job['id']}/result")
        assert stolen.status_code == 404
        assert STORY.contractor not in stolen.text
        assert job["id"] not in [j["id"] for j in other.get("/jobs").json()]


def test_bad_options_are_refused_before_a_job_is_queued(world: World) -> None:
    with world.client("cat") as client:
        before = {j["id"] for j in client.get("/jobs").json()}
        answer = client.post(
            "/match-file",
            params={"wait": "false"},
            files={"file": ("officials.csv", LIST)},
            data={"schema": "LegalEntity", "maps": ["colour=Name"]},
        )
        assert answer.status_code == 400, answer.text
        assert "has no property 'colour'" in answer.json()["detail"]
        assert {j["id"] for j in client.get("/jobs").json()} == before


def test_a_bad_column_fails_the_job_with_its_name_and_no_results(world: World) -> None:
    with world.client("cat") as client:
        job = _finished(client, _submit(client, maps=["name=Nom"]))
        assert job["status"] == "failed"
        assert "no column 'Nom'" in job["error"] and "/uploads/" not in job["error"]
        answer = client.get(f"/match-file/jobs/{job['id']}/result")
    assert answer.status_code == 409
    assert "no results" in answer.json()["detail"]


def test_waiting_stays_the_default(world: World) -> None:
    with world.client("cat") as client:
        answer = client.post(
            "/match-file",
            files={"file": ("officials.csv", LIST)},
            data={"schema": "LegalEntity", "maps": MAPS},
        )
    assert answer.status_code == 200 and answer.json()["screened"] == 3
