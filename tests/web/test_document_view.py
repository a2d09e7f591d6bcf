"""The document view in a real browser: PDF pages drawn on the server load as PNG
images, an e-mail shows its headers, thread and attachments, the original comes as a
download, and nothing inside an ingested HTML or SVG file ever runs.

Its own small world (a real server in server mode, Debian's Chromium): a PDF, an
e-mail with a reply, a hostile HTML page and a hostile SVG, in `leak`; sam reads
it, rita does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.ingest.documents.makers import email_bytes, pdf_bytes, write
from tests.live_server import LiveServer
from tests.web.conftest import PASSWORD, Site, shot, sign_in
from threadline.access import Role
from threadline.api.app import create_app
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.settings import Settings

HTML = b"<html><body><script>window.top.__pwned = 'html'</script><p>Invoice 7</p></body></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.top.__pwned = \'svg\'">'
    b"<script>window.top.__pwned = 'svg-script'</script><text y=\"10\">Invoice</text></svg>"
)


@dataclass
class World(Site):
    ids: dict[str, str]  # file name -> document id
    case_id: str  # sam's case: page 2 of the ledger pinned and cited
    page_id: str  # that page's entity id

    def view(self, name: str) -> str:
        return f"{self.url}/documents/{self.ids[name]}"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("docview")
    folder = tmp / "leak"
    write(folder, "ledger.pdf", pdf_bytes(["Cover page", "Transfer to Halcyon Crest"]))
    write(folder, "deal.eml", email_bytes("Deal", "See attached", {"terms.pdf": pdf_bytes(["T"])}))
    reply = email_bytes(
        "Re: Deal",
        "Agreed",
        sender="Bob <bob@example.com>",
        to="Alice <alice@example.org>",
        message_id="<m2@example.org>",
        in_reply_to="<m1@example.org>",
    )
    write(folder, "reply.eml", reply)
    write(folder, "invoice.html", HTML)
    write(folder, "invoice.svg", SVG)
    settings = Settings(data_dir=tmp / "data", workers=1)
    with Workbench(settings) as bench:
        bench.ingest([folder], "leak")
        access = bench.accountability.access
        tokens = {}
        for name in ("sam", "rita"):
            tokens[name] = bench.user_add(name, Role.INVESTIGATOR).token
            access.set_password(name, PASSWORD)
        bench.grant("sam", "leak", "read")
        ids = {
            next(r.value for r in rows if r.prop == "fileName"): rows[0].entity_id
            for rows in bench.store.iter_entities("leak")
            if any(r.prop == "fileName" for r in rows)
        }
        sam = bench.acting(Context(token=tokens["sam"]))
        case = sam.case_create("Ledger", "follow the transfer", "leak")
        page = sam.case_pin(case.id, f"{ids['ledger.pdf']}#p2").entity_id
        sam.case_note(case.id, f"Paid, see [[doc:{ids['ledger.pdf']}#p2]].")
    app = create_app(settings)
    with LiveServer(app) as live:
        yield World(live.url, app, ids, case.id, page)


def test_pdf_pages_load_as_png_images_drawn_on_the_server(page: Page, world: World) -> None:
    sign_in(page, world, "sam", purpose="Reading the leak")
    page.goto(world.view("ledger.pdf"))
    images = page.locator("img.page-image")
    expect(images).to_have_count(2)
    assert images.first.get_attribute("loading") == "lazy"
    images.nth(1).scroll_into_view_if_needed()
    for n in range(2):
        expect(images.nth(n)).to_have_js_property("complete", True)
        assert images.nth(n).evaluate("img => img.naturalWidth") > 100
    src = images.nth(1).get_attribute("src")
    assert src == f"/documents/{world.ids['ledger.pdf']}/pages/2.png"
    answer = page.request.get(f"{world.url}{src}")
    assert answer.status == 200 and answer.headers["content-type"] == "image/png"
    assert answer.body().startswith(b"\x89PNG\r\n\x1a\n")
    # No PDF viewer, no embedded original: only our images and our links.
    assert page.locator("embed, object, iframe").count() == 0
    expect(page.locator("#page-2 a")).to_have_text("Page 2: text and mentions")
    shot(page, "document-view-pdf")
    # The entity page of the document leads here.
    page.goto(f"{world.url}/entities/{world.ids['ledger.pdf']}")
    page.get_by_role("link", name="Open the document view").click()
    page.wait_for_url(f"**/documents/{world.ids['ledger.pdf']}")


def test_an_email_shows_headers_thread_and_attachments(page: Page, world: World) -> None:
    sign_in(page, world, "sam", purpose="Reading the leak")
    page.goto(world.view("deal.eml"))
    headers = page.locator("dl.email-headers")
    expect(headers.locator("dd.email-subject")).to_have_text("Deal")
    expect(headers.locator("dd.email-from")).to_have_text("Alice Example <alice@example.org>")
    expect(headers.locator("dd.email-to")).to_have_text("Bob <bob@example.com>")
    expect(headers.locator("dd.email-cc")).to_have_text("carol@example.net")
    expect(page.locator("ol.email-thread a")).to_have_text(["Re: Deal"])
    attachment = page.locator("ul.doc-attachments a").first
    expect(attachment).to_have_text("terms.pdf")
    shot(page, "document-view-email")
    page.locator("ol.email-thread a").click()
    page.wait_for_url(f"**/entities/{world.ids['reply.eml']}")


@pytest.mark.parametrize("name", ["invoice.html", "invoice.svg"])
def test_a_hostile_file_is_only_ever_a_download(page: Page, world: World, name: str) -> None:
    sign_in(page, world, "sam", purpose="Reading the leak")
    for url in (world.view(name), f"{world.url}/entities/{world.ids[name]}"):
        page.goto(url)
        assert page.evaluate("typeof window.__pwned") == "undefined"
    page.goto(world.view(name))
    link = page.locator("a.doc-download")
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.suggested_filename == name
    assert page.evaluate("typeof window.__pwned") == "undefined"
    answer = page.request.get(f"{world.url}{link.get_attribute('href')}")
    headers = answer.headers
    assert headers["content-type"] == "application/octet-stream"
    assert headers["content-disposition"].startswith("attachment;")
    assert headers["content-security-policy"].startswith("sandbox")
    assert headers["x-content-type-options"] == "nosniff"
    # Even opened on purpose, the file is saved, not shown: no page of it runs here.
    with page.expect_download():
        page.evaluate("url => { window.location.href = url }", link.get_attribute("href"))
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_who_may_not_read_the_leak_sees_no_document(page: Page, world: World) -> None:
    sign_in(page, world, "rita", purpose="Reading the leak")
    page.goto(world.view("ledger.pdf"))
    expect(page.locator("h1")).to_have_text("Not found")
    assert "Halcyon" not in page.content()
    image = page.request.get(f"{world.url}/documents/{world.ids['ledger.pdf']}/pages/1.png")
    assert image.status == 404
    original = page.request.get(f"{world.url}/api/v1/documents/{world.ids['ledger.pdf']}/file")
    assert original.status == 404 and not original.body().startswith(b"%PDF")


def test_a_note_cites_a_page_and_links_to_it(page: Page, world: World) -> None:
    sign_in(page, world, "sam", purpose="Reading the leak")
    page.goto(f"{world.url}/cases/{world.case_id}")
    cite = page.locator("article.note-card a.cite")
    expect(cite).to_have_text("[ledger.pdf, page 2]")
    assert cite.get_attribute("href") == f"/entities/{world.page_id}"
    cite.click()
    page.wait_for_url(f"**/entities/{world.page_id}")
    page.get_by_role("link", name="Open the document view").click()
    expect(page.locator("img.page-image")).to_have_count(1)  # the page, not the document
    expect(page.locator("#pages-title")).to_have_text("Page 2 of 2")
