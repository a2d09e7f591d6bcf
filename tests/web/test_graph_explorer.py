"""The graph explorer in a real browser: from a search to the demo's chain among the k
best paths, stepping through them, saving the chart into a case and finding it in the
bundle; a hub folded into a counted node that opens on demand; names drawn as text.

Resolution alone joins the official's declared relative and the leak's owner (the
small demo, like the full one, keeps the owner's birth date): no judgement first.
"""

from __future__ import annotations

import re

import orjson
import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect

from tests.conftest import entity
from tests.web.conftest import Site, shot, sign_in
from threadline.app.context import Context
from threadline.demo import STORY
from threadline.ingest.namespace import DatasetNamespace

PURPOSE = "Following the money"
SCRIPT = '"><script>window.__xss=1</script>'
IMG = "<img src=x onerror=window.__xss=1>"
HUB = "Bürgerbund Nordmark"  # an association the small demo's donors pay 25 times


def _ids(site: Site) -> dict[str, str]:
    gus = site.bench.acting(Context(actor="gus", purpose=PURPOSE))

    def first(name: str, schema: str, dataset: str) -> str:
        return next(
            h.id for h in gus.search(name, schema=schema, limit=5).hits if dataset in h.datasets
        )

    return {
        "official": first(STORY.official, "Person", "procurement"),
        "declared": first(STORY.relative_native, "Person", "procurement"),
        "relative": first(STORY.relative_native, "Person", "leak"),
        "contractor": first(STORY.contractor, "Company", "registry"),
    }


@pytest.fixture
def story(site: Site) -> dict[str, str]:
    """The story's ids; the declared relative is already the leak's owner."""
    ids = _ids(site)
    assert ids["declared"] == ids["relative"], "resolution joins the story's relative"
    return ids


def _ready(page: Page) -> None:
    expect(page.locator("#graph")).to_have_attribute("data-ready", "true")


def _inert(page: Page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_from_a_search_to_the_chain_and_into_the_case(
    page: Page, site: Site, story: dict[str, str]
) -> None:
    gus = site.bench.acting(Context(actor="gus", purpose=PURPOSE))
    case = gus.case_create("Nordmark bridges", "Who profits from the bridge awards", "all")
    sign_in(page, site, "gus", purpose=PURPOSE)

    # Search → entity → graph by id.
    page.get_by_label("Search names, addresses, identifiers and text").fill(STORY.official)
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator(".hit .caption").first.click()
    page.get_by_role("link", name="Explore in graph").click()
    _ready(page)
    expect(page.locator("#g-start")).to_have_attribute("data-picker", "")
    expect(page.locator("#g-k")).to_have_value("5")
    nodes = page.locator("#graph-nodes button")
    expect(nodes.first).to_be_visible()
    assert nodes.count() >= 2
    expect(page.locator("#legend-schemas")).to_contain_text("Person")
    shot(page, "explorer-01-start")

    # The path form with k: the five best paths, stepped through one at a time.
    query = f"entity_id={story['official']}&target={story['contractor']}&hops=6"
    page.goto(f"{site.url}/graph?{query}&k=5")
    _ready(page)
    paths = page.locator("ol.paths > li")
    expect(paths).to_have_count(5)
    stepper = page.locator("#path-stepper")
    expect(stepper).to_have_attribute("data-path", "1")
    expect(page.locator("#path-label")).to_contain_text("Path 1 of 5")
    page.get_by_role("button", name="Next path →").click()
    expect(stepper).to_have_attribute("data-path", "2")
    expect(page.locator("#path-label")).to_contain_text("Path 2 of 5")
    expect(paths.nth(1)).to_have_attribute("aria-current", "true")
    second = page.locator("#graph-nodes li.on-path").all_inner_texts()
    page.get_by_role("button", name="← Previous path").click()
    page.get_by_role("button", name="← Previous path").click()
    expect(stepper).to_have_attribute("data-path", "5")
    assert page.locator("#graph-nodes li.on-path").all_inner_texts() != second
    shot(page, "explorer-02-paths")
    # Only family and ownership links: the demo's chain.
    page.goto(f"{site.url}/graph?{query}&k=5&types=Family&types=Ownership")
    _ready(page)
    expect(paths.first).to_contain_text(STORY.offshore)
    expect(paths.first).to_contain_text(STORY.holding)
    on_path = page.locator("#graph-nodes li.on-path")
    expect(on_path).to_have_count(5)  # official → relative → offshore → holding → contractor
    expect(page.locator("#legend-types")).to_contain_text("Ownership")
    expect(page.locator("#graph-status")).to_contain_text("5 entities, 4 links")
    shot(page, "explorer-03-chain")
    # The time slider: links that start after the window's end are hidden.
    visible = "() => window.threadlineGraph.edges().filter(e => e.visible()).length"
    assert page.evaluate(visible) == 4
    page.locator("#time-to").evaluate(
        "input => { input.value = input.min; input.dispatchEvent(new Event('input')); }"
    )
    page.wait_for_function(f"() => ({visible})() < 4")  # a function: the CSP forbids eval
    window = page.locator("#time-filter").get_attribute("data-window") or ""
    assert re.fullmatch(r"(\d{4})\.\.\1", window), window
    # k from the form: one path only.
    page.locator("#g-k").fill("1")
    page.get_by_role("button", name="Show", exact=True).click()
    _ready(page)
    expect(paths).to_have_count(1)
    expect(page.locator("#path-label")).to_contain_text("Path 1 of 1")
    # Out of range: the browser's form refuses it, and so does the server.
    page.locator("#g-k").fill("99")
    assert page.locator("#g-k").evaluate("input => input.validity.rangeOverflow")
    page.goto(f"{site.url}/graph?{query}&k=99")
    expect(page.locator("[role=alert]")).to_contain_text("k: how many paths must be")
    page.goto(f"{site.url}/graph?{query}&k=5&types=Family&types=Ownership")
    _ready(page)

    # Pin, annotate and group on the chart, then save it into the case.
    offshore = page.locator("#graph-nodes button", has_text=STORY.offshore)
    offshore.focus()
    page.keyboard.press("p")
    expect(page.locator("#graph-nodes li.pinned")).to_have_count(1)
    offshore.press("Shift+Enter")
    page.locator("#graph-nodes button", has_text=STORY.holding).press("Shift+Enter")
    page.locator("#g-group-name").fill("Shells")
    page.get_by_role("button", name="Group", exact=True).click()
    expect(page.locator("#graph-status")).to_contain_text("Grouped")
    page.locator("#graph-nodes button", has_text=STORY.offshore).press("Enter")
    expect(page.locator("#graph")).to_have_attribute("data-expanded", "1")
    page.get_by_label("Note on this node").fill("BVI vehicle; owner in the leak")
    page.get_by_role("button", name="Keep note").click()
    save = page.locator("#save-chart")
    save.locator("summary").click()
    expect(save).to_have_attribute("data-cases", re.compile(r"^[1-9]"))
    page.get_by_label("Case").select_option(case.id)
    page.get_by_label("Title").fill("The bridge money chain")
    page.get_by_label("Annotation").fill("Official to contractor, through her brother-in-law")
    page.get_by_role("button", name="Save chart").click()
    expect(page.locator("#chart-result")).to_contain_text("Saved “The bridge money chain”")
    shot(page, "explorer-04-saved")

    (chart,) = gus.case_charts(case.id)
    drawn = {n.caption: n for n in chart.nodes}
    assert drawn[STORY.offshore].pinned and drawn[STORY.offshore].group == "Shells"
    assert drawn[STORY.offshore].note == "BVI vehicle; owner in the leak"
    assert drawn[STORY.holding].group == "Shells"
    assert STORY.contractor in drawn and len(chart.edges) >= 4

    # The chart is in the evidence bundle: an image, its nodes and their datasets.
    answer = page.request.get(f"{site.url}/api/v1/cases/{case.id}/export?format=json")
    assert answer.ok, answer.text()
    (item,) = orjson.loads(answer.body())["charts"]
    assert item["title"] == "The bridge money chain" and item["svg"].startswith("<svg")
    by_caption = {n["caption"]: n for n in item["nodes"]}
    assert by_caption[STORY.offshore]["datasets"] == ["leak"]
    report = page.request.get(f"{site.url}/api/v1/cases/{case.id}/export?format=html").text()
    assert "<h2>Charts</h2>" in report and "data:image/svg+xml;base64," in report
    # And on the case page, as an image that no script of it could run from.
    page.goto(f"{site.url}/cases/{case.id}")
    figure = page.locator("#charts figure.chart")
    expect(figure).to_have_count(1)
    expect(figure.locator("figcaption")).to_contain_text("The bridge money chain")
    image = figure.locator("img")
    assert (image.get_attribute("src") or "").startswith("data:image/svg+xml;base64,")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    figure.scroll_into_view_if_needed()
    shot(page, "explorer-05-case-chart")
    # Nothing is pinned: the case's timeline is that of the chart's entities.
    dated = gus.case_timeline(case.id)
    assert dated and {i.entity_id for i in dated} & {n.entity_id for n in chart.nodes}
    expect(page.locator("#timeline")).not_to_contain_text("No dated facts.")


def test_a_hub_is_folded_and_opens_on_demand(page: Page, site: Site) -> None:
    gus = site.bench.acting(Context(actor="gus", purpose=PURPOSE))
    hub = gus.search(HUB, schema="Organization", limit=1).hits[0].id
    sign_in(page, site, "gus", purpose=PURPOSE)
    page.goto(f"{site.url}/graph?entity_id={hub}")
    _ready(page)
    folded = page.locator("#graph-nodes li.hub button")
    expect(folded).to_have_count(1)
    expect(folded).to_contain_text(re.compile(r"^\+\d+ Payment links"))
    count = int(re.search(r"\+(\d+)", folded.inner_text()).group(1))  # type: ignore[union-attr]  # checked above
    assert count > 12
    before = page.locator("#graph-nodes li").count()
    where = f"window.threadlineGraph.getElementById('{hub}').position()"
    start = page.evaluate(where)
    shot(page, "explorer-hub-folded")
    folded.focus()
    page.keyboard.press("Enter")  # the keyboard opens it, as a click would
    expect(page.locator("#graph")).to_have_attribute("data-hubs-opened", "1")
    expect(page.locator("#graph-nodes li.hub")).to_have_count(0)
    assert page.locator("#graph-nodes li").count() > before
    expect(page.locator("#graph-nodes li.hub")).to_have_count(0)
    expect(page.locator("#legend-types")).to_contain_text(f"Payment ({count})")
    assert page.evaluate(where) == start  # what was drawn stays where it was
    shot(page, "explorer-hub-open")
    # Hide a node from the keyboard, then bring it back.
    shown = page.locator("#graph-nodes li").nth(1)
    shown.locator("button").press("h")
    expect(page.locator("#graph-nodes li.hidden")).to_have_count(1)
    page.get_by_role("button", name="Show hidden").click()
    expect(page.locator("#graph-nodes li.hidden")).to_have_count(0)


def test_the_page_fits_a_phone(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        gus = site.bench.acting(Context(actor="gus", purpose=PURPOSE))
        hub = gus.search(HUB, schema="Organization", limit=1).hits[0].id
        sign_in(page, site, "gus", purpose=PURPOSE)
        page.goto(f"{site.url}/graph?entity_id={hub}")
        _ready(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "explorer-390")
    finally:
        context.close()


def test_names_are_drawn_as_text(page: Page, site: Site) -> None:
    sign_in(page, site, "gus", purpose="Checking hostile records")
    person, company = (DatasetNamespace("graph-xss").sign(i) for i in ("gx-person", "gx-company"))
    lines = [
        orjson.dumps(e)
        for e in (
            entity("gx-person", "Person", name=IMG, country="de"),
            entity("gx-company", "Company", name=SCRIPT),
            entity("gx-owns", "Ownership", owner="gx-person", asset="gx-company"),
        )
    ]
    page.goto(f"{site.url}/ingest")
    page.set_input_files(
        "#ingest-file",
        files=[FilePayload(name="gx.jsonl", mimeType="application/json", buffer=b"\n".join(lines))],
    )
    page.get_by_label("Dataset name").fill("graph-xss")
    page.get_by_role("button", name="Upload and load").click()
    page.wait_for_url("**/ingest/jobs/**")
    expect(page.locator("#job-state")).to_have_text("done")

    page.goto(f"{site.url}/graph?entity_id={person}")
    _ready(page)
    expect(page.locator("#graph-nodes")).to_contain_text(SCRIPT)
    expect(page.locator("#graph-nodes")).to_contain_text(IMG)
    page.locator(f"#graph-nodes button[data-id='{company}']").click()
    expect(page.locator("#panel-body strong")).to_have_text(SCRIPT)
    expect(page.locator("#graph")).to_have_attribute("data-expanded", "1")
    _inert(page)
    shot(page, "explorer-xss")
