"""The audit pages in a real browser: filters, paging, the CSV export (itself audited),
"verify now", the subject report of an entity, and who may see any of it.

The events are made through the server's own workbench, acting for the demo's users
with stated purposes, exactly as their browsers' calls would be recorded.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import TIMEOUT_MS, Site, shot, sign_in
from threadline.app.context import Context
from threadline.audit.query import AuditFilter
from threadline.audit.rows import HEADER
from threadline.demo import STORY

BEN_PURPOSE = "Subject check for ticket 42"
XSS = '<img src=x onerror="window.__xss=1">'
SEARCHES = 60  # ben's searches: more than a page of 50


@pytest.fixture(scope="module")
def subject(site: Site) -> str:
    """An entity ben has read with a stated purpose (and searched for, again and again),
    once with a script as his purpose."""
    ben = site.bench.acting(Context(actor="ben", purpose=BEN_PURPOSE))
    entity_id = ben.search(STORY.offshore, limit=1).hits[0].id
    ben.entity(entity_id)
    for _ in range(SEARCHES):
        ben.search(STORY.offshore, limit=3)
    site.bench.acting(Context(actor="ben", purpose=XSS)).entity(entity_id)
    return entity_id


def matching(site: Site, **fields: str) -> int:
    """How many events in the log answer a filter (other tests of the session add some)."""
    return site.bench.accountability.log.count(AuditFilter(**fields).query())


def rows(page: Page) -> list[list[str]]:
    """The audit table's cells, row by row."""
    found = page.locator("table.audit tbody tr")
    return [found.nth(i).locator("td").all_inner_texts() for i in range(found.count())]


def test_filter_by_actor_and_action_then_page_to_older(
    page: Page, site: Site, subject: str
) -> None:
    sign_in(page, site, "ada", purpose="Oversight of searches")
    page.goto(f"{site.url}/audit")
    page.get_by_label("Actor", exact=True).fill("ben")
    page.get_by_label("Action", exact=True).fill("search")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/audit?*actor=ben*")
    total = matching(site, actor="ben", action="search")
    assert SEARCHES < total < 100
    first = rows(page)
    assert len(first) == 50
    assert {(r[1], r[3].split()[0]) for r in first} == {("ben", "search")}
    expect(page.locator("#audit-count")).to_contain_text(f"50 of {total} matching")
    newest = [page.locator("table.audit tbody tr").nth(i).get_attribute("id") for i in (0, 49)]
    page.get_by_role("link", name="Older").click()
    older = rows(page)
    assert len(older) == total - 50
    assert {(r[1], r[3].split()[0]) for r in older} == {("ben", "search")}
    top = page.locator("table.audit tbody tr").first.get_attribute("id") or ""
    assert int(top.split("-")[1]) < int((newest[1] or "").split("-")[1])
    expect(page.get_by_role("link", name="Older")).to_have_count(0)
    page.get_by_role("link", name="Newer").click()
    assert page.locator("table.audit tbody tr").first.get_attribute("id") == newest[0]
    # A kind and a day narrow it further; a bad date is named, not a crash.
    page.goto(f"{site.url}/audit?actor=ben&kind=disclosure")
    expect(page.locator("table.audit tbody")).to_contain_text("No events match")
    refused = page.goto(f"{site.url}/audit?since=yesterday")
    assert refused is not None and refused.status == 400
    expect(page.locator("[role=alert]")).to_contain_text("since")


def test_the_page_is_compact_at_laptop_width(browser: Browser, site: Site, subject: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in(page, site, "ada", purpose="Layout check")
        page.goto(f"{site.url}/audit")
        assert page.locator("table.audit tbody tr").count() == 50
        height = page.evaluate("document.documentElement.scrollHeight")
        width = page.evaluate("document.documentElement.scrollWidth")
        shot(page, "audit-1366")
        assert height < 4_000, height  # was 12,895 px for a list of 200
        assert width <= 1366, width
    finally:
        context.close()


def test_export_csv_is_an_audited_disclosure(page: Page, site: Site, subject: str) -> None:
    sign_in(page, site, "ada", purpose="Reply to data request 7")
    page.goto(f"{site.url}/audit?actor=ben&action=entity")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    saved = Path(download.value.path())
    with saved.open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    assert tuple(table[0]) == HEADER
    reads = matching(site, actor="ben", action="entity")
    assert len(table) == 1 + reads
    assert {(r[2], r[4]) for r in table[1:]} == {("ben", "entity")}
    assert [r[7] for r in table[1:] if r[5] == subject][-2:] == [BEN_PURPOSE, XSS]
    log = site.bench.accountability.log
    exports = [e.event() for e in log.entries() if e.event().action == "audit.export"]
    assert exports, "the export is on record"
    last = exports[-1]
    assert (last.actor, last.kind.value, last.purpose) == (
        "ada",
        "disclosure",
        "Reply to data request 7",
    )
    assert f"rows={reads}" in last.detail
    assert "actor=ben" in last.detail and "action=entity" in last.detail


def test_verify_now_shows_the_result(page: Page, site: Site) -> None:
    sign_in(page, site, "ada", purpose="Checking the log")
    page.goto(f"{site.url}/audit")
    page.get_by_role("button", name="Verify now").click()
    expect(page.locator("#verify-result")).to_contain_text("OK")
    entries = int(page.locator("#verify-entries").inner_text().replace(",", ""))
    assert entries > 0
    expect(page.locator("#verify-seconds")).to_contain_text(" s")
    assert re.fullmatch("[0-9a-f]{64}", page.locator("code.root").inner_text())
    # The control is a form with the session's CSRF token; a post without it is refused.
    forged = page.request.post(f"{site.url}/audit/verify", form={"csrf_token": "forged"})
    assert forged.status == 403
    shot(page, "audit-verify")


def test_subject_report_lists_reads_with_purposes(page: Page, site: Site, subject: str) -> None:
    sign_in(page, site, "ada", purpose="Subject access request")
    page.goto(f"{site.url}/entities/{subject}")
    page.get_by_role("link", name="Subject report").click()
    page.wait_for_url("**/audit/subject/**")
    reads = page.locator("section", has=page.locator("#subject-reads"))
    expect(reads).to_contain_text("ben")
    expect(reads).to_contain_text(BEN_PURPOSE)
    searches = page.locator("section", has=page.locator("#subject-searches"))
    assert searches.locator("tbody tr").count() > SEARCHES
    # A purpose holding markup is shown as text, and nothing of it runs.
    expect(reads).to_contain_text(XSS)
    assert reads.locator("img").count() == 0
    assert page.evaluate("window.__xss") is None
    shot(page, "audit-subject")
    # The audit table links each entity it names to its subject report.
    page.goto(f"{site.url}/audit?actor=ben&action=entity")
    expect(page.locator("table.audit")).to_contain_text(XSS)
    assert page.locator("table.audit img").count() == 0
    page.locator(f'td.objects a[href="/audit/subject/{subject}"]').first.click()
    page.wait_for_url(f"**/audit/subject/{subject}")


def test_a_non_admin_is_refused(page: Page, site: Site, subject: str) -> None:
    sign_in(page, site, "ben", purpose="Curious")
    for path in ("/audit", f"/audit/subject/{subject}", "/audit?actor=ada"):
        refused = page.goto(site.url + path)
        assert refused is not None and refused.status == 403, path
    log = site.bench.accountability.log
    denied = [
        e.event()
        for e in log.entries()
        if e.event().actor == "ben" and e.event().action in ("audit.log", "audit.subject")
    ]
    assert denied and all(e.outcome.startswith("denied") for e in denied)
