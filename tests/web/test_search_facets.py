"""The search page's document facets in a real browser: document type, sender,
recipient and year listed with counts, each a link to the search filtered by it, and
nothing from a dataset the reader may not read.

Its own small world (a real server in server mode, Debian's Chromium): an e-mail and
a dated PDF in `leak`, which sam reads; a mail in `secret`, which sam does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from tests.ingest.documents.makers import email_bytes, write
from tests.live_server import LiveServer
from tests.web.conftest import PASSWORD, Site, shot, sign_in
from threadline.access import Role
from threadline.api.app import create_app
from threadline.app.workbench import Workbench
from threadline.demo.pdf import pdf_document
from threadline.settings import Settings


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("search-facets")
    write(tmp / "leak", "deal.eml", email_bytes("Deal", "The invoice is attached"))
    ledger = pdf_document([["Ledger invoice"]], created=datetime(2021, 6, 1))
    write(tmp / "leak", "ledger.pdf", ledger)
    quiet = email_bytes(
        "Quiet", "Burn the invoice", sender="Mallory <mallory@secret.example>"
    ).replace(b"Tue, 05 Mar 2019", b"Wed, 05 Mar 2014")
    write(tmp / "secret", "quiet.eml", quiet)
    settings = Settings(data_dir=tmp / "data", workers=1)
    with Workbench(settings) as bench:
        bench.ingest([tmp / "leak"], "leak")
        bench.ingest([tmp / "secret"], "secret")
        bench.user_add("sam", Role.INVESTIGATOR)
        bench.accountability.access.set_password("sam", PASSWORD)
        bench.grant("sam", "leak", "read")
    app = create_app(settings)
    with LiveServer(app) as live:
        yield Site(live.url, app)


def test_document_facets_link_to_the_filtered_search(page: Page, world: Site) -> None:
    sign_in(page, world, "sam", purpose="Reading the leak")
    page.goto(f"{world.url}/search?q=invoice")
    facets = page.locator(".facets")
    for heading in ("Document type", "Sender", "Recipient", "Year"):
        expect(facets.get_by_role("heading", name=heading)).to_be_visible()
    # The Type facet lists `Email` too (the schema); these are the document type's.
    expect(facets.locator('a[href*="doc_type=Email"]')).to_have_text(re.compile(r"^Email\s+1$"))
    expect(facets.locator('a[href*="doc_type=Pages"]')).to_have_text(re.compile(r"^Pages\s+1$"))
    expect(facets.locator('a[href*="year=2021"]')).to_have_text(re.compile(r"^2021\s+1$"))
    expect(facets.locator('a[href*="recipient=carol%40example.net"]')).to_have_count(1)
    expect(page.get_by_role("heading", name=re.compile(r"^2 results for"))).to_be_visible()
    assert "mallory" not in page.content() and "2014" not in facets.inner_text()
    shot(page, "search-document-facets")

    facets.get_by_role("link", name=re.compile(r"^alice@example\.org")).click()
    page.wait_for_url(re.compile(r"sender=alice%40example\.org"))
    expect(page.get_by_role("heading", name=re.compile(r"^1 result for"))).to_be_visible()
    expect(page.locator(".hit .badge")).to_have_text(["Email"])
    chip = page.get_by_role("link", name="Remove filter Sender: alice@example.org")
    expect(chip).to_be_visible()

    page.goto(f"{world.url}/search?q=invoice&year=2021")
    expect(page.locator(".hit .badge")).to_have_text(["Page"])
    expect(page.get_by_role("link", name="Remove filter Year: 2021")).to_be_visible()

    answer = page.goto(f"{world.url}/search?q=invoice&doc_type=Emial")
    assert answer is not None and answer.status == 422
    expect(page.locator("main")).to_contain_text("no document type 'Emial'")
