"""The cancel button of the web job page, in Chromium: a queued upload is cancelled at
once; a running one at its worker's next step, its file rolled back, while the page
says it is cancelling and then that it is cancelled."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.app.jobs.test_worker import _held, _people
from tests.live_server import LiveServer
from tests.web.conftest import PASSWORD, Site, sign_in
from threadline.access import Role
from threadline.api.app import create_app
from threadline.app.context import Context
from threadline.app.jobs.worker import Worker
from threadline.app.workbench import Workbench
from threadline.audit.query import AuditFilter
from threadline.settings import Settings


@pytest.fixture(scope="module")
def job_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server whose jobs wait for a worker the test starts (none runs in the server)."""
    data_dir = tmp_path_factory.mktemp("web-jobs") / "data"
    with Workbench(data_dir=data_dir) as bench:
        for name, role in (("bob", Role.INVESTIGATOR), ("ada", Role.ADMIN)):
            bench.user_add(name, role)
            bench.accountability.access.set_password(name, PASSWORD)
    app = create_app(Settings(data_dir=data_dir), run_jobs="none")
    with LiveServer(app) as live:
        yield Site(live.url, app)


def _upload(page: Page, site: Site, people: Path, dataset: str) -> str:
    page.goto(f"{site.url}/ingest")
    page.get_by_label("File", exact=True).set_input_files(str(people))
    page.get_by_label("Dataset name").fill(dataset)
    page.get_by_role("button", name="Upload and load").click()
    page.wait_for_url("**/ingest/jobs/*")
    return page.url.rsplit("/", 1)[-1]


def _cancels(site: Site, job_id: str) -> list[str]:
    events = site.bench.audit_log(AuditFilter(action="job.cancel", actor="bob")).events
    return [e.event.outcome for e in events if f"job:{job_id}" in e.event.object_ids]


def test_cancel_a_queued_job_from_its_page(job_site: Site, page: Page, tmp_path: Path) -> None:
    people = tmp_path / "people.ijson"
    people.write_bytes(_people(5))
    sign_in(page, job_site, "bob")
    job_id = _upload(page, job_site, people, "web-cancel-queued")
    expect(page.locator("#job-state")).to_have_text("queued")
    page.get_by_role("button", name="Cancel this job").click()
    page.wait_for_url(f"**/ingest/jobs/{job_id}")
    expect(page.locator("#job-state")).to_have_text("cancelled")
    expect(page.get_by_role("button", name="Cancel this job")).to_have_count(0)
    assert job_site.app.state.server.jobs.store.get(job_id).status == "cancelled"
    assert "ok" in _cancels(job_site, job_id)


def test_cancel_a_running_job_from_its_page(job_site: Site, page: Page, tmp_path: Path) -> None:
    people = tmp_path / "people.ijson"
    people.write_bytes(_people(50))
    server = job_site.app.state.server
    sign_in(page, job_site, "bob")
    job_id = _upload(page, job_site, people, "web-cancel-running")
    pause = tmp_path / "pause"
    pause.touch()
    worker = Worker(server.bench, server.jobs.store, lease=0.6, pause_file=pause)
    thread = threading.Thread(target=worker.run, kwargs={"once": True})
    thread.start()
    try:
        _held(server.jobs.store, job_id)
        expect(page.locator("#job-state")).to_have_text("running")  # polled by ingest.js
        page.get_by_role("button", name="Cancel this job").click()
        page.wait_for_url(f"**/ingest/jobs/{job_id}")
        expect(page.locator("#job-state")).to_have_text("cancelled")
        expect(page.locator("#job-cancel")).to_be_hidden()
        thread.join(30)
    finally:
        pause.unlink(missing_ok=True)
        thread.join(30)
    assert not thread.is_alive()
    assert server.jobs.store.get(job_id).status == "cancelled"
    assert not any(d.name == "web-cancel-running" for d in job_site.bench.datasets())
    assert "ok" in _cancels(job_site, job_id)


def test_the_cancel_form_needs_the_csrf_token(job_site: Site) -> None:
    store = job_site.app.state.server.jobs.store
    job = store.submit("ingest", Context(actor="bob"), {"ingest": [], "files": ["x.ijson"]})
    with httpx.Client(base_url=job_site.url, follow_redirects=False, timeout=60) as client:
        form = client.get("/login")
        token = re.search(r'name="login_token" value="([^"]+)"', form.text)
        assert token is not None
        signed = client.post(
            "/login", data={"username": "bob", "password": PASSWORD, "login_token": token.group(1)}
        )
        assert signed.status_code == 303
        forged = client.post(f"/ingest/jobs/{job.id}/cancel", data={"csrf_token": "forged"})
        assert forged.status_code == 403
        assert store.get(job.id).status == "queued"
        page = client.get(f"/ingest/jobs/{job.id}")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf is not None
        sent = client.post(f"/ingest/jobs/{job.id}/cancel", data={"csrf_token": csrf.group(1)})
        assert sent.status_code == 303
    assert store.get(job.id).status == "cancelled"


def test_an_admin_sees_and_cancels_someone_elses_job(
    job_site: Site, page: Page, tmp_path: Path
) -> None:
    people = tmp_path / "people.ijson"
    people.write_bytes(_people(5))
    sign_in(page, job_site, "bob")
    job_id = _upload(page, job_site, people, "web-cancel-admin")
    page.context.clear_cookies()
    sign_in(page, job_site, "ada")
    page.goto(f"{job_site.url}/ingest/jobs/{job_id}")
    expect(page.get_by_role("note")).to_contain_text("bob")
    expect(page.locator("#job")).to_have_attribute("data-poll", "5000")
    expect(page.locator("#job-state")).to_have_text("queued")
    page.get_by_role("button", name="Cancel this job").click()
    page.wait_for_url(f"**/ingest/jobs/{job_id}")
    expect(page.locator("#job-state")).to_have_text("cancelled")
    bench = job_site.bench
    shown = bench.audit_log(AuditFilter(action="job.show", actor="ada")).events
    assert any(f"job:{job_id}" in e.event.object_ids for e in shown)
    cancels = bench.audit_log(AuditFilter(action="job.cancel", actor="ada")).events
    assert any("owner=bob" in e.event.detail for e in cancels)
