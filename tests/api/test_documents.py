"""The document routes over a real server: a PDF page as a PNG (capped in size,
cached, 404 past the last page), the original file as a download that nothing can
run in our origin, the e-mail view; access per dataset and audit of every call.

Its own small world (server mode): a leak of a PDF, an e-mail with a PDF attached,
a reply, a hostile HTML page and SVG, in `leak`; sam reads it, rita does not.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from PIL import Image

from tests.ingest.documents.makers import email_bytes, pdf_bytes, write
from tests.live_server import LiveServer
from threadline.access import Level, Role
from threadline.api.app import create_app
from threadline.app.pageimage import FOLDER as PAGE_IMAGES
from threadline.app.pageimage import MAX_SIDE
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind, AuditEvent
from threadline.settings import Settings

PURPOSE = "Reading the leak"
HOSTILE_HTML = b"<html><body><script>alert(document.cookie)</script>Pay me</body></html>"
HOSTILE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>'
    b'<text x="1" y="10">Invoice</text></svg>'
)


@dataclass
class World:
    url: str
    bench: Workbench
    tokens: dict[str, str]
    ids: dict[str, str]  # file name -> document id

    def client(self, user: str, purpose: str | None = PURPOSE) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        if purpose:
            headers["X-Purpose"] = purpose
        return httpx.Client(base_url=f"{self.url}/api/v1", headers=headers, timeout=60)

    def events(self, action: str) -> list[AuditEvent]:
        return [e for e in self.bench.accountability.events() if e.action == action]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("documents")
    folder = tmp / "leak"
    write(folder, "Überweisung 2019.pdf", pdf_bytes(["Cover", "Transfer to Halcyon Crest"]))
    scan = pdf_bytes(["Attached statement"])
    write(folder, "deal.eml", email_bytes("Deal", "See attached", {"statement.pdf": scan}))
    reply = email_bytes(
        "Re: Deal", "Agreed", message_id="<m2@x.org>", in_reply_to="<m1@example.org>"
    )
    write(folder, "reply.eml", reply)
    write(folder, "invoice.html", HOSTILE_HTML)
    write(folder, "invoice.svg", HOSTILE_SVG)
    settings = Settings(data_dir=tmp / "data", workers=1)
    tokens = {}
    with Workbench(settings) as bench:
        bench.ingest([folder], "leak")
        for name in ("sam", "rita"):
            tokens[name] = bench.user_add(name, Role.INVESTIGATOR).token
        bench.grant("sam", "leak", Level.READ)
        ids = {
            next(r.value for r in rows if r.prop == "fileName"): rows[0].entity_id
            for rows in bench.store.iter_entities("leak")
            if any(r.prop == "fileName" for r in rows)
        }
    app = create_app(settings)
    with LiveServer(app) as live:
        yield World(live.url, app.state.server.bench, tokens, ids)


def test_a_pdf_page_comes_as_a_png_no_larger_than_the_cap(world: World) -> None:
    doc = world.ids["Überweisung 2019.pdf"]
    with world.client("sam") as client:
        answer = client.get(f"/documents/{doc}/pages/2.png")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(answer.content))
    assert image.format == "PNG" and max(image.size) <= MAX_SIDE
    assert max(image.size) >= MAX_SIDE - 1  # a letter-size page is drawn up to the cap
    cached = list((world.bench.data_dir / PAGE_IMAGES).rglob("*-p2-*.png"))
    assert len(cached) == 1 and cached[0].read_bytes() == answer.content
    [event] = [
        e for e in world.events("document.page") if e.outcome == "ok" and doc in e.object_ids
    ]
    assert (event.actor, event.kind, event.purpose) == ("sam", ActionKind.CONSULTATION, PURPOSE)
    assert (event.outcome, event.detail) == ("ok", "page=2")


def test_a_page_the_document_lacks_is_refused_by_name(world: World) -> None:
    doc = world.ids["Überweisung 2019.pdf"]
    with world.client("sam") as client:
        answer = client.get(f"/documents/{doc}/pages/3.png")
    assert answer.status_code == 404
    assert "has 2 pages: there is no page 3" in answer.json()["detail"]
    assert "Überweisung 2019.pdf" in answer.json()["detail"]


def test_a_reader_needs_a_purpose(world: World) -> None:
    doc = world.ids["Überweisung 2019.pdf"]
    with world.client("sam", purpose=None) as client:
        assert client.get(f"/documents/{doc}/pages/1.png").status_code == 428
        assert client.get(f"/documents/{doc}/file").status_code == 428


def test_who_may_not_read_the_dataset_gets_nothing(world: World) -> None:
    doc = world.ids["Überweisung 2019.pdf"]
    before = len(world.events("document.file"))
    with world.client("rita") as client:
        for path in (f"/documents/{doc}", f"/documents/{doc}/pages/1.png"):
            answer = client.get(path)
            assert answer.status_code == 404, path
            assert "Transfer" not in answer.text and "Überweisung" not in answer.text
        answer = client.get(f"/documents/{doc}/file")
        assert answer.status_code == 404
        assert not answer.content.startswith(b"%PDF")
    refused = world.events("document.file")[before:]
    assert [(e.actor, e.outcome.split(":")[0]) for e in refused] == [("rita", "failed")]


def test_the_original_downloads_with_its_name_and_hash_on_record(world: World) -> None:
    doc = world.ids["Überweisung 2019.pdf"]
    with world.client("sam") as client:
        answer = client.get(f"/documents/{doc}/file")
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    assert answer.headers["content-type"] == "application/pdf"
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%C3%9Cberweisung%202019.pdf" in disposition
    assert answer.headers["content-security-policy"].startswith("sandbox")
    [event] = [e for e in world.events("document.file") if e.actor == "sam" and e.outcome == "ok"]
    assert (event.kind, event.purpose, event.object_ids) == (ActionKind.DISCLOSURE, PURPOSE, (doc,))
    assert f"bytes={len(answer.content)}" in event.detail


@pytest.mark.parametrize("name", ["invoice.html", "invoice.svg"])
def test_a_hostile_file_downloads_as_inert_bytes(world: World, name: str) -> None:
    with world.client("sam") as client:
        answer = client.get(f"/documents/{world.ids[name]}/file")
    assert answer.status_code == 200
    assert answer.content in (HOSTILE_HTML, HOSTILE_SVG)  # the bytes as they came
    assert answer.headers["content-type"] == "application/octet-stream"
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert f"filename*=UTF-8''{name}" in answer.headers["content-disposition"]
    assert answer.headers["content-security-policy"].startswith("sandbox")
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_an_email_shows_headers_thread_and_attachments(world: World) -> None:
    with world.client("sam") as client:
        answer = client.get(f"/documents/{world.ids['deal.eml']}")
    assert answer.status_code == 200, answer.text
    view = answer.json()
    assert view["schema"] == "Email" and view["subject"] == "Deal"
    assert view["headers"]["From"] == ["Alice Example <alice@example.org>"]
    assert view["headers"]["Cc"] == ["carol@example.net"]
    assert [m["id"] for m in view["thread"]] == [world.ids["reply.eml"]]
    [attached] = view["attachments"]
    assert (attached["id"], attached["file_name"]) == (world.ids["statement.pdf"], "statement.pdf")
    # The attachment is taken out of its message when first asked for, and drawn.
    with world.client("sam") as client:
        child = client.get(f"/documents/{attached['id']}").json()
        assert child["parent"]["id"] == world.ids["deal.eml"]
        image = client.get(child["pages"][0]["image"].removeprefix("/api/v1"))
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
        original = client.get(f"/documents/{attached['id']}/file")
        assert original.content.startswith(b"%PDF")
