"""The key journeys in a real browser: sign in, search the demo story, open an entity,
expand the graph, judge a pair, pin the entity to a case, and export the case."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.web.conftest import Site, shot, sign_in
from threadline.demo import STORY


def test_the_story_from_sign_in_to_export(page: Page, site: Site, tmp_path: Path) -> None:
    # 1. Sign in: the header names the user, then asks what they work on.
    page.goto(f"{site.url}/search")
    page.wait_for_url("**/login?next=**")
    shot(page, "01-login")
    sign_in(page, site, "noor", purpose="Procurement conflict-of-interest review")
    expect(page.locator(".who .user")).to_contain_text("noor")

    # 2. Search the story: the relative across scripts and spellings, with highlights.
    page.get_by_label("Search names, addresses, identifiers and text").fill(STORY.relative)
    page.get_by_role("button", name="Search", exact=True).click()
    hits = page.locator(".hit .caption")
    expect(hits.first).to_be_visible()
    captions = hits.all_inner_texts()
    assert STORY.relative in captions  # the donor; the leak's owner is merged with the
    # declared relative, so its hit may be captioned in Latin, with the Cyrillic shown
    relative_hit = page.locator(".hit", has_text=STORY.relative_native)
    expect(relative_hit).to_have_count(1)
    expect(page.locator(".hit mark").first).to_be_visible()
    page.locator(".facets").get_by_role("link", name=re.compile(r"^Person")).click()
    page.wait_for_url(re.compile(r"schema=Person"))
    expect(page.locator(".chips")).to_contain_text("Type: Person")
    shot(page, "02-search")

    # 3. Open the entity: per-value provenance on hover shows the source file and row.
    relative_hit.locator(".caption").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"Sokolo|Соколов"))
    name_value = page.locator(".fact", has_text=STORY.relative_native).first
    name_value.hover()
    provenance = name_value.locator(".prov")
    expect(provenance).to_be_visible()
    expect(provenance.locator(".source-file")).to_contain_text("leak")
    expect(provenance.locator(".source-row")).to_have_text(re.compile(r"^\d+$"))
    expect(page.locator("#rels-title")).to_be_visible()
    expect(page.get_by_text(STORY.offshore).first).to_be_visible()
    shot(page, "03-entity")

    # 4. Expand the graph: clicking a neighbour fetches its neighbours.
    page.get_by_role("link", name="Explore in graph").click()
    graph = page.locator("#graph")
    expect(graph).to_have_attribute("data-ready", "true")
    listed = page.locator("#graph-nodes li")
    before = listed.count()
    assert before >= 2
    page.locator("#graph-nodes button", has_text=STORY.offshore[:20]).first.click()
    expect(graph).to_have_attribute("data-expanded", "1")
    assert listed.count() > before
    expect(page.locator("#panel-body")).to_contain_text(STORY.offshore)
    shot(page, "04-graph")

    # 5. Judge a pair in the review queue, side by side with its explanation.
    page.get_by_role("link", name="Review", exact=True).click()
    expect(page.locator(".side")).to_have_count(2)
    expect(page.locator(".explanation")).to_be_visible()
    left = page.locator("input[name=left]").get_attribute("value")
    assert left
    shot(page, "05-review")
    page.get_by_role("button", name=re.compile(r"^Same")).click()
    expect(page.locator(".success")).to_have_text("Judged the same.")

    # The merged entity explains why it was merged.
    page.goto(f"{site.url}/entities/{left}")
    expect(page.locator("#records-title .count")).to_have_text(re.compile(r"^[2-9]"))
    expect(page.locator(".verdict-same").first).to_be_visible()
    expect(page.locator(".explanation").first).to_be_visible()
    # No case yet: instead of a pin form, the page offers to open one.
    expect(page.locator("form[action='/pins'] input[name=entity_id]")).to_have_count(0)

    # 6. Pin it to a new case.
    page.get_by_role("link", name="Open one").click()
    page.get_by_label("Name", exact=True).fill("Bridge contracts")
    page.get_by_label("Purpose", exact=True).fill(
        "Who benefits from the Landesamt's bridge contracts"
    )
    page.get_by_role("button", name="Open case").click()
    expect(page.locator("h1")).to_have_text("Bridge contracts")
    expect(page.locator(".who .work")).to_contain_text("Bridge contracts")
    page.goto(f"{site.url}/entities/{left}")
    entity_id = (
        page.locator("form[action='/pins'] input[name=entity_id]").get_attribute("value") or ""
    )
    assert entity_id
    caption = page.locator("h1").inner_text()
    page.get_by_label("Why it matters (optional)").fill("Merged from two registry records")
    page.get_by_role("button", name="Pin", exact=True).click()
    expect(page.locator(".success")).to_contain_text("Pinned to case Bridge contracts")
    page.get_by_role("link", name="Bridge contracts").click()
    expect(page.locator(".pins")).to_contain_text(caption)
    page.get_by_label("New note").fill(f"Look at [[entity:{entity_id}]] first.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".note-card a.cite")).to_have_attribute("href", f"/entities/{entity_id}")
    page.get_by_label("Task", exact=True).fill("Check the shareholder register")
    page.get_by_role("button", name="Add task").click()
    expect(page.locator(".tasks")).to_contain_text("Check the shareholder register")
    shot(page, "06-case")

    # 7. Export the case: the JSON bundle names the pinned entity, the HTML is a page.
    page.get_by_label("Export as").select_option("json")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    saved = tmp_path / "case.json"
    download.value.save_as(saved)
    bundle = json.loads(saved.read_text(encoding="utf-8"))
    assert entity_id in json.dumps(bundle)
    page.get_by_label("Export as").select_option("html")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename.endswith(".html")
    html = tmp_path / "case.html"
    download.value.save_as(html)
    assert "Bridge contracts" in html.read_text(encoding="utf-8")
    shot(page, "07-export")
