"""The case desk in a real browser: cite a fact from an entity page into a case note,
see the citation resolved on the case, read the case's timeline (a Payment, an
Ownership period), filter it, click through to the statement, and find the timeline
in the evidence bundle; payloads in names and notes stay text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Browser, Dialog, Page, expect

from tests.web.conftest import TIMEOUT_MS, Site, shot, sign_in
from threadline.demo import STORY

XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_cite_a_fact_then_read_the_case_timeline(page: Page, site: Site, tmp_path: Path) -> None:
    alerts: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        alerts.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # kim, not ana: the story journey expects ana to have no case yet.
    sign_in(page, site, "kim", purpose="Case desk: who is paid through the offshore")

    # A case whose name carries a payload.
    page.goto(f"{site.url}/cases")
    case_name = f"Desk {XSS}"
    page.get_by_label("Name", exact=True).fill(case_name)
    page.get_by_label("Purpose", exact=True).fill("Follow the payments to the offshore")
    page.get_by_role("button", name="Open case").click()
    expect(page.locator("h1")).to_have_text(case_name)
    case_url = page.url.split("#")[0]

    # The offshore's entity page: every fact can be cited.
    page.goto(f"{site.url}/search?q={STORY.offshore}")
    page.locator(".hit .caption", has_text=STORY.offshore).first.click()
    expect(page.locator("h1")).to_have_text(STORY.offshore)
    entity_id = page.locator("form[action='/pins'] input[name=entity_id]").get_attribute("value")
    assert entity_id
    row = page.locator("table.props tr", has=page.locator("th", has_text="Incorporation date"))
    fact = row.locator(".fact").first
    fact.locator(".cite-box summary").click()
    code = fact.locator(".cite-code")
    expect(code).to_have_text(re.compile(r"^\[\[stmt:[0-9a-f]+\]\]$"))
    citation = code.inner_text()
    statement_id = citation.removeprefix("[[stmt:").removesuffix("]]")
    shot(page, "desk-00-cite")
    copy = fact.get_by_role("button", name="Copy citation")
    expect(copy).to_be_visible()  # the script shows it; without it the text stays
    copy.click()
    expect(copy).to_have_attribute("data-copied", citation)
    # The entity's own timeline is on its page too.
    expect(page.locator("#timeline .tl-item").first).to_be_visible()

    # Add the fact to a note in the case, with a payload in the note's text.
    fact.get_by_label("Note (optional)").fill(f"Founded {XSS} on")
    fact.get_by_role("button", name="Add to case note").click()
    expect(page.locator(".success")).to_contain_text("Added to a note in case")
    shot(page, "desk-01-cited")
    page.locator(".success a").click()

    # The case shows the citation resolved: value, property, entity, dataset, file, row.
    expect(page.locator("h1")).to_have_text(case_name)
    resolved = page.locator(".note-card .cited-statement").first
    expect(resolved).to_contain_text("Incorporation date of")
    expect(resolved).to_contain_text(STORY.offshore)
    expect(resolved).to_contain_text(re.compile(r"row \d+"))
    expect(page.locator(".note-card .text").first).to_contain_text(f"Founded {XSS} on")
    link = page.locator(".note-card a.cite").first
    expect(link).to_have_attribute("href", re.compile(rf"#stmt-{statement_id}$"))

    # Pin the offshore by id through the case page's pin form (the picker also takes ids).
    page.get_by_label("Pin an entity").fill(entity_id)
    page.get_by_role("button", name="Pin", exact=True).click()
    expect(page.locator(".pins")).to_contain_text(STORY.offshore)

    # The timeline: payments and ownership periods of the links touching the pin.
    items = page.locator("#timeline .tl-item")
    expect(items.filter(has_text="Payment").first).to_be_visible()
    period = page.locator("#timeline .tl-period", has_text="Ownership").first
    expect(period).to_contain_text(" owns ")
    # The demo's ownerships have a start and no end yet.
    expect(period.locator(".tl-date")).to_have_text(re.compile(r"^(from \d{4}|\d{4}.* to \d{4})"))
    shot(page, "desk-02-timeline")
    # At phone width the timeline fits the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.getElementById('timeline').scrollWidth")
    assert width <= 390, width
    shot(page, "desk-03-timeline-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Filter by type: only payments stay.
    page.locator("#tl-schema").select_option("Payment")
    page.wait_for_url(re.compile(r"schema=Payment"))
    badges = page.locator("#timeline .tl-item .badge").all_inner_texts()
    assert badges and set(badges) == {"Payment"}
    # Zoom to days.
    page.locator("#tl-zoom").select_option("day")
    page.wait_for_url(re.compile(r"zoom=day"))
    expect(page.locator("#timeline .tl-group summary .tl-when").first).to_have_text(
        re.compile(r"^\d{4}-\d{2}-\d{2}$")
    )
    # A bad date is named, not a broken page.
    page.goto(f"{case_url}?since=soon#timeline")
    expect(page.locator("#timeline .error")).to_contain_text("since")

    # Click through to the statement on its entity's page.
    page.goto(f"{case_url}?schema=Payment#timeline")
    statement_link = page.locator("#timeline a.tl-statement").first
    href = statement_link.get_attribute("href") or ""
    statement_link.click()
    page.wait_for_url(re.compile(r"/entities/"))
    anchor = href.split("#", 1)[1]
    expect(page.locator(f"[id='{anchor}']")).to_have_count(1)

    # The bundle holds the full timeline, with its sources.
    page.goto(case_url)
    page.get_by_label("Export as").select_option("json")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    saved = tmp_path / "bundle.json"
    download.value.save_as(saved)
    bundle = json.loads(saved.read_text(encoding="utf-8"))
    schemata = {item["schema"] for item in bundle["timeline"]}
    assert {"Payment", "Ownership"} <= schemata
    ownership = next(i for i in bundle["timeline"] if i["schema"] == "Ownership")
    assert ownership["label"].startswith("Ownership: ") and ownership["file"]
    present = {s["id"] for s in bundle["statements"]}
    assert {i["statement_id"] for i in bundle["timeline"]} <= present
    assert statement_id in present
    assert alerts == []


def test_without_javascript_a_citation_is_text_to_select(browser: Browser, site: Site) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, site, "ben", purpose="Reading without scripts")
        page.goto(f"{site.url}/search?q={STORY.offshore}")
        page.locator(".hit .caption", has_text=STORY.offshore).first.click()
        fact = page.locator(".fact").first
        fact.locator(".cite-box summary").click()
        expect(fact.locator(".cite-code")).to_have_text(re.compile(r"^\[\[stmt:[0-9a-f]+\]\]$"))
        expect(fact.locator(".copy-cite")).to_be_hidden()
        # The timeline's filter still works: the form is sent by its button.
        page.locator("#tl-schema").select_option("Payment")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url(re.compile(r"schema=Payment"))
        badges = page.locator("#timeline .tl-item .badge").all_inner_texts()
        assert badges and set(badges) == {"Payment"}
    finally:
        context.close()
