""" "Watch this search" on a search filtered by the document facets, in Chromium: the
saved watch carries the filters (sender, year, document type), and after a new
ingest it alerts only on what the filtered search finds, not on every new match of
the query's text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import entity, write_entities
from tests.live_server import LiveServer
from tests.web.conftest import PASSWORD, Site, sign_in
from threadline.access import Level, Role
from threadline.api.app import create_app
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.settings import Settings

PURPOSE = "Watching the mail"
SAM = Context(actor="sam", purpose=PURPOSE)


def _mail(entity_id: str, sender: str, date: str, subject: str) -> dict[str, Any]:
    props = {"from": sender, "to": "carol@example.net", "date": date, "subject": subject}
    return entity(entity_id, "Email", bodyText=f"{subject}: the invoice is attached", **props)


@pytest.fixture(scope="module")
def mail_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("watch-facets")
    first = [
        _mail("m1", "alice@example.org", "2019-03-05", "Invoice one"),
        _mail("m2", "bob@example.com", "2019-04-01", "Invoice two"),
        entity("p1", "Person", name="Invoice Person"),
    ]
    settings = Settings(data_dir=tmp / "data")
    with Workbench(settings) as bench:
        bench.ingest([write_entities(tmp / "first.ijson", first)], "mail")
        bench.user_add("sam", Role.INVESTIGATOR)
        bench.accountability.access.set_password("sam", PASSWORD)
        bench.grant("sam", "mail", Level.READ)
    app = create_app(settings, run_jobs="none")
    with LiveServer(app) as live:
        yield Site(live.url, app)


def test_a_watched_search_keeps_its_facet_filters(
    page: Page, mail_site: Site, tmp_path: Path
) -> None:
    sign_in(page, mail_site, "sam", purpose=PURPOSE)
    page.goto(
        f"{mail_site.url}/search?q=invoice&doc_type=Email&sender=alice%40example.org&year=2019"
    )
    expect(page.locator(".hit .badge")).to_have_text(["Email"])  # m1 only
    page.get_by_role("button", name="Watch this search").click()
    page.wait_for_url("**/watches?made=**")
    expect(page.locator("#watch-list")).to_contain_text("Search invoice")

    sam = mail_site.bench.acting(SAM)
    (watch,) = sam.watches()
    assert {k: watch.spec.get(k) for k in ("query", "doc_type", "sender", "year")} == {
        "query": "invoice",
        "doc_type": "Email",
        "sender": "alice@example.org",
        "year": 2019,
    }
    assert "sender=alice@example.org" in watch.describe()

    later = [
        _mail("m3", "alice@example.org", "2019-11-20", "Invoice three"),  # the filters match
        _mail("m4", "bob@example.com", "2019-11-21", "Invoice four"),  # another sender
        _mail("m5", "alice@example.org", "2021-01-02", "Invoice five"),  # another year
        entity("p2", "Person", name="Invoice Newcomer"),  # not a document
    ]
    mail_site.bench.ingest([write_entities(tmp_path / "later.ijson", later)], "mail")
    mail_site.bench.evaluate_watches()
    alerted = {i for view in sam.alerts(watch.id) for i in view.alert.entity_ids}
    assert alerted == {"m3"}
