"""Tips over a real HTTP server: the public form and POST /api/v1/tips (rate limit,
caps, what is kept), and the triage desk over the API and the pages."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from io import BytesIO
from pathlib import Path

import httpx
import pytest

from tests.tips.conftest import PURPOSE, Desk, desk_server

SENT_FROM = iter(f"198.51.100.{n}" for n in range(1, 250))


def _from() -> dict[str, str]:
    """Headers naming a new client address (the loopback proxy is trusted)."""
    return {"X-Forwarded-For": next(SENT_FROM)}


def _send(
    desk: Desk,
    text: str,
    files: Sequence[tuple[str, bytes]] = (),
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST /api/v1/tips without signing in, from a new client unless `headers` say."""
    with desk.api(purpose=None) as client:
        sent = [("files", (name, data, "application/octet-stream")) for name, data in files]
        return client.post(
            "/tips", data={"text": text}, files=sent or None, headers=headers or _from()
        )


def test_the_form_says_what_is_kept_and_takes_a_tip(desk: Desk) -> None:
    with desk.web() as browser:
        page = browser.get("/tips")
        assert page.status_code == 200 and "set-cookie" not in page.headers
        assert "We do <strong>not</strong> keep your network address" in page.text
        assert (
            "the files you attach, unchanged" in page.text
            and "Up to 2 files, 64 KiB each." in page.text
        )
        sent = browser.post(
            "/tips",
            data={"text": "The mayor's brother won every harbour contract."},
            files=[
                ("files", ("contracts.txt", b"2024 harbour dredging: Zeta Trading", "text/plain"))
            ],
            headers=_from(),
        )
    assert sent.status_code == 201, sent.text
    reference = re.search(
        r"Its reference is <strong>([0-9a-f]{16})</strong>, with 1 file", sent.text
    )
    assert reference is not None
    with desk.api("uma") as uma:
        tip = uma.get(f"/tips/{reference.group(1)}").json()
    assert tip["text"] == "The mayor's brother won every harbour contract."
    assert [f["name"] for f in tip["files"]] == ["contracts.txt"] and tip["client"] is None


def test_the_api_takes_a_tip_and_says_what_was_kept(desk: Desk) -> None:
    answer = _send(
        desk,
        "Check the port fees.",
        [("fees.csv", b"a,b\n1,2\n"), ("../../etc/x.sh", b"#!/bin/sh\n")],
    )
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert receipt["files"] == 2 and not any("address" in k for k in receipt["kept"])
    with desk.api("uma") as uma:
        tip = uma.get(f"/tips/{receipt['id']}").json()
    assert [f["name"] for f in tip["files"]] == ["fees.csv", "x.sh"]  # no folders
    assert tip["client"] is None and tip["status"] == "new"


def test_each_client_is_limited(desk: Desk) -> None:
    mine = _from()
    for n in range(3):
        assert _send(desk, f"tip {n}", headers=mine).status_code == 201
    refused = _send(desk, "one too many", headers=mine)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "too many tips" in refused.json()["detail"]
    with desk.web() as browser:  # the form counts against the same client
        page = browser.post("/tips", data={"text": "via the form"}, headers=mine)
    assert page.status_code == 429 and "too many tips" in page.text
    assert _send(desk, "someone else").status_code == 201


def test_caps_are_kept_over_http(desk: Desk) -> None:
    three = [("a.txt", b"a"), ("b.txt", b"b"), ("c.txt", b"c")]
    assert _send(desk, "three files", three).status_code == 400
    big = _send(desk, "big file", [("big.bin", bytes((64 << 10) + 1))])
    assert big.status_code == 413
    assert big.json()["detail"] == "big.bin: is larger than the 65,536 bytes allowed"
    huge = _send(desk, "x" * (400 << 10))  # over the whole tip's budget: not even read
    assert huge.status_code == 413 and "a tip may have" in huge.json()["detail"]
    bomb = BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros", bytes(4 << 20))
    refused = _send(desk, "bomb", [("leak.zip", bomb.getvalue())])
    assert refused.status_code == 400 and "leak.zip" in refused.json()["detail"]
    assert "zip bomb" in refused.json()["detail"]
    assert _send(desk, "").status_code == 400
    with desk.web() as browser:  # the form says what went wrong, above itself
        files = [("files", (f"{n}.txt", b"x", "text/plain")) for n in range(3)]
        page = browser.post("/tips", data={"text": "t"}, files=files, headers=_from())
        assert page.status_code == 400 and "Too many files" in page.text
        assert 'class="error" role="alert"' in page.text and "Send the tip" in page.text
        one = [("files", ("big.bin", bytes((64 << 10) + 1), "application/octet-stream"))]
        page = browser.post("/tips", data={"text": "Keep <this>"}, files=one, headers=_from())
        assert page.status_code == 413 and "big.bin: is larger than the 65,536 bytes" in page.text
        assert ">Keep &lt;this&gt;</textarea>" in page.text  # kept, escaped


def test_a_chunked_body_is_cut_off_at_the_tip_budget(desk: Desk) -> None:
    built = httpx.Request("POST", desk.url, files=[("files", ("a.bin", bytes(300 << 10)))])
    body = built.read()

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server counts as it reads
        for start in range(0, len(body), 16 << 10):
            yield body[start : start + (16 << 10)]

    headers = {"Content-Type": built.headers["Content-Type"], **_from()}
    with desk.api(purpose=None) as client:
        answer = client.post("/tips", content=chunks(), headers=headers)
    assert answer.status_code == 413 and "a tip may have" in answer.json()["detail"]


def test_only_the_group_triages_with_a_purpose(desk: Desk) -> None:
    tip_id = _send(desk, "for the desk").json()["id"]
    with desk.api("vic") as vic, desk.api("ada") as ada:
        for outsider in (vic, ada):
            assert outsider.get("/tips").status_code == 403
            assert outsider.get(f"/tips/{tip_id}").status_code == 403
            assert outsider.post(f"/tips/{tip_id}/reject", json={"reason": "x"}).status_code == 403
    with desk.api("uma", purpose=None) as unsure:
        assert unsure.get(f"/tips/{tip_id}").status_code == 428
    with desk.api("uma") as uma:
        assert tip_id in [t["id"] for t in uma.get("/tips", params={"status": "new"}).json()]
        rejected = uma.post(f"/tips/{tip_id}/reject", json={"reason": "Not credible"})
        assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
        assert uma.post(f"/tips/{tip_id}/case", json={}).status_code == 400
        assert uma.get("/tips/nope").status_code == 404
    events = [
        e
        for e in desk.app.state.server.bench.accountability.events()
        if tip_id in str(e.object_ids)
    ]
    assert [(e.actor, e.action, e.outcome[:6]) for e in events if e.outcome != "started"] == [
        ("(anonymous)", "tip.submit", "ok"),
        ("vic", "tip.read", "denied"),
        ("vic", "tip.reject", "denied"),
        ("ada", "tip.read", "denied"),
        ("ada", "tip.reject", "denied"),
        ("uma", "tip.list", "ok"),
        ("uma", "tip.reject", "ok"),
        ("uma", "tip.case", "failed"),
    ]
    assert all(e.purpose == PURPOSE for e in events if e.actor == "uma" and e.outcome == "ok")
    # Refused before the tip was named: no purpose for a read.
    unsure_read = [
        e for e in desk.app.state.server.bench.accountability.events() if e.actor == "uma"
    ]
    assert any(e.action == "tip.read" and e.outcome.startswith("denied") for e in unsure_read)


def test_the_triage_pages_open_a_case(desk: Desk) -> None:
    tip_id = _send(
        desk, "Zeta Trading pays the harbour master.", [("memo.txt", b"Zeta Trading memo")]
    ).json()["id"]
    with desk.signed_in("uma") as (browser, csrf):
        browser.headers["X-Purpose"] = PURPOSE
        queue = browser.get("/tips/triage")
        assert queue.status_code == 200 and "Zeta Trading pays the harbour master." in queue.text
        page = browser.get(f"/tips/{tip_id}")
        assert page.status_code == 200 and "memo.txt" in page.text and "Open a case" in page.text
        forged = browser.post(f"/tips/{tip_id}/case", data={"name": "x"}, follow_redirects=False)
        assert forged.status_code == 403  # no CSRF token
        opened = browser.post(
            f"/tips/{tip_id}/case",
            data={"csrf_token": csrf, "name": "Harbour master"},
            follow_redirects=False,
        )
        assert opened.status_code == 303 and opened.headers["location"].startswith("/cases/")
        case_page = browser.get(opened.headers["location"])
        assert case_page.status_code == 200 and "Harbour master" in case_page.text
        assert "The tip as received on" in case_page.text
    with desk.signed_in("vic") as (browser, _):
        browser.headers["X-Purpose"] = PURPOSE
        assert browser.get("/tips/triage").status_code == 403


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    with desk_server(tmp_path_factory.mktemp("closed"), tips_enabled=False) as running:
        yield running


def test_intake_is_off_unless_enabled(closed: Desk, tmp_path: Path) -> None:
    assert _send(closed, "anyone there?").status_code == 404
    with closed.web() as browser:
        assert browser.get("/tips").status_code == 404
        assert browser.post("/tips", data={"text": "hello"}, headers=_from()).status_code == 404


def test_a_retried_sending_with_its_key_gets_the_first_receipt(desk: Desk) -> None:
    key = {"Idempotency-Key": "6a1f0c7e-retry-me", **_from()}
    first = _send(desk, "The dredging bids were copied.", [("bids.txt", b"bid 1")], key)
    again = _send(desk, "The dredging bids were copied.", [("bids.txt", b"bid 1")], key)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json()
    other = _send(desk, "Something else.", headers=key)
    assert other.status_code == 400 and "this key was sent before" in other.json()["detail"]
    bad = _send(desk, "x", headers={"Idempotency-Key": "has space", **_from()})
    assert bad.status_code == 400 and "Idempotency-Key: must be" in bad.json()["detail"]
    with desk.web() as browser:  # the form carries a key of its own: a double click is one tip
        page = browser.get("/tips").text
        found = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page)
        assert found is not None
        form = {"text": "Sent by a double click.", "idempotency_key": found.group(1)}
        receipts = [browser.post("/tips", data=form, headers=_from()) for _ in range(2)]
    refs = {re.search(r"<strong>([0-9a-f]{16})</strong>", r.text).group(1) for r in receipts}  # type: ignore[union-attr]
    assert len(refs) == 1
    with desk.api("uma") as uma:
        queue = [t["text"] for t in uma.get("/tips", params={"limit": 1000}).json()]
    assert queue.count("Sent by a double click.") == 1
    assert queue.count("The dredging bids were copied.") == 1


def test_opening_a_case_twice_over_http_gives_the_one_case(desk: Desk) -> None:
    tip_id = _send(desk, "Open me twice.").json()["id"]
    with desk.api("uma") as uma:
        first = uma.post(f"/tips/{tip_id}/case", json={"name": "Twice"})
        again = uma.post(f"/tips/{tip_id}/case", json={"name": "Twice"})
        assert (first.status_code, again.status_code) == (201, 200), again.text
        assert first.json()["repeated"] is False and again.json()["repeated"] is True
        assert again.json()["case_id"] == first.json()["case_id"]
        assert "was already opened as case" in again.json()["message"]
        named = [c for c in uma.get("/cases").json() if c["name"] == "Twice"]
    assert len(named) == 1
