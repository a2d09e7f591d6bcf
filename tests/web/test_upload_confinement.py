"""Path tricks through the web upload page: every mapping in the corpus, uploaded
beside a harmless CSV, reads nothing outside its upload folder, and the server's audit
signing key (two folders above every upload) stays unread."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.ingest.pathtricks import HARMLESS, leaks, server_tricks
from tests.web.conftest import PASSWORD, Site

DATA = f"name\n{HARMLESS}\n".encode()


@pytest.fixture
def signed_in(site: Site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, follow_redirects=False, timeout=60) as client:
        yield _sign_in(client)


def _sign_in(client: httpx.Client) -> httpx.Client:
    form = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', form.text)
    assert token is not None
    signed = client.post(
        "/login", data={"username": "ana", "password": PASSWORD, "login_token": token.group(1)}
    )
    assert signed.status_code == 303
    return client


def test_no_trick_escapes_through_the_web_upload(
    site: Site, signed_in: httpx.Client, tmp_path: Path
) -> None:
    cases = server_tricks(site.bench.data_dir, tmp_path / "outside", "conf-web")
    client = signed_in
    page = client.get("/work")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    chosen = client.post("/work", data={"purpose": "confinement test", "csrf_token": csrf.group(1)})
    assert chosen.status_code == 303
    refused = 0
    for name, text in cases:
        files = {
            "file": ("data.csv", DATA, "text/csv"),
            "mapping": ("m.yml", text.encode("utf-8", "surrogatepass"), "application/yaml"),
        }
        answer = client.post("/ingest", files=files, data={"csrf_token": csrf.group(1)})
        assert not leaks(answer.text), name
        if answer.status_code == 400:
            refused += 1
            continue
        assert answer.status_code == 303, (name, answer.status_code, answer.text[-500:])
        job_page = answer.headers["location"]
        deadline = time.monotonic() + 60
        while True:
            shown = client.get(job_page)
            assert not leaks(shown.text), name
            if not re.search(r"\b(queued|running)\b", shown.text):
                break
            assert time.monotonic() < deadline, name
            time.sleep(0.05)
        refused += "failed" in shown.text
    assert refused >= len(cases) - 2
    values = {
        value for rows in site.bench.store.iter_entities() for row in rows for value in [row.value]
    }
    assert not any(leaks(v) for v in values)
