"""Issue 18's investigation desk, end to end in Chromium, as a user works through it at
a phone's width (390 px) and a laptop's (1366 px): search → open the entity → open the
graph by name with the search-as-you-type picker → the k best paths between two
entities, stepped through → save the chart into a case → the case's timeline → a note
citing a fact copied from an entity page → the evidence bundle, downloaded and opened,
with the chart, the timeline and the citation resolved.

The path runs along the demo's chain (official → relative → offshore → holding →
contractor), which resolution alone joins, and one hop further to a company that the
contractor owns in a tip-off whose names carry script payloads. The tip-off is a
collection of its own, granted only to this module's users, so the shared site's other
tests never see it. Each width has a fresh user (no case yet). No script of the
payloads may run: a dialog handler and a window flag stay untouched, and no element the
payloads would make exists. Screenshots are kept in test-artifacts/web
(journey-WIDTH-NN-step.png).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

from tests.conftest import entity, write_entities
from tests.web.conftest import DEMO_DATASETS, PASSWORD, TIMEOUT_MS, Site, shot, sign_in
from threadline.access import Level, Role
from threadline.app.context import Context
from threadline.demo import STORY

WIDTHS = (390, 1366)
TIPS = "journey-tips"
IMG = '<img src=x onerror="window.__xss=1;alert(1)">'
SCRIPT = '"><script>window.__xss=1;alert(2)</script>'
SUBSIDIARY = f"Hansa Töchterwerk KG {SCRIPT}"  # what the contractor owns, in the tip-off
NOMINEE = f"{IMG} Petersen"  # its other owner
CASE = f"Bridge money {IMG}"
PURPOSE = "Who profits from the Nordmark bridge awards"
CHAIN = (STORY.offshore, STORY.holding, STORY.contractor)
# The elements that end past the screen's right edge, or whose text overflows them, to
# name in a failure.
WIDE = """() => Array.from(document.body.querySelectorAll("*"))
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    || (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1))
  .slice(0, 8)
  .map(el => el.tagName.toLowerCase() + "." + Array.from(el.classList).join(".") + ": "
    + Math.round(el.getBoundingClientRect().right) + " / " + el.scrollWidth)"""


@dataclass(frozen=True)
class Desk:
    """The site, and the fresh user who works at each width."""

    site: Site
    users: dict[int, str]


@pytest.fixture(scope="module")
def desk(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Desk:
    """The tip-off (linked to the demo's contractor) and one fresh user per width."""
    bench = site.bench
    finder = bench.acting(Context(actor="gus", purpose="Linking the tip-off to the demo"))
    contractor = next(
        h.id
        for h in finder.search(STORY.contractor, schema="Company", limit=5).hits
        if "registry" in h.datasets
    )
    tips = write_entities(
        tmp_path_factory.mktemp("journey") / "tips.ijson",
        [
            entity("jt-subsidiary", "Company", name=SUBSIDIARY, country="de"),
            entity("jt-nominee", "Person", name=NOMINEE, nationality="dk"),
            entity(
                "jt-owns",
                "Ownership",
                owner=contractor,
                asset="jt-subsidiary",
                percentage="60",
                startDate="2022-01-10",
            ),
            entity(
                "jt-nominee-owns",
                "Ownership",
                owner="jt-nominee",
                asset="jt-subsidiary",
                percentage="40",
                startDate="2022-01-10",
            ),
        ],
    )
    bench.ingest([tips], TIPS)
    users = {width: f"journey{width}" for width in WIDTHS}
    for user in users.values():
        bench.user_add(user, Role.INVESTIGATOR)
        bench.accountability.access.set_password(user, PASSWORD)
        for dataset in (*DEMO_DATASETS, TIPS):
            bench.grant(user, dataset, Level.WRITE)
    return Desk(site, users)


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def width(request: pytest.FixtureRequest) -> int:
    found: int = request.param
    return found


@pytest.fixture
def tab(browser: Browser, width: int) -> Iterator[Page]:
    """A fresh profile at the width (a phone's is a mobile viewport)."""
    made: BrowserContext = browser.new_context(
        viewport={"width": width, "height": 844 if width < 800 else 900},
        is_mobile=width < 800,
        accept_downloads=True,
    )
    made.set_default_timeout(TIMEOUT_MS)
    try:
        yield made.new_page()
    finally:
        made.close()


class Watch:
    """What a payload could do if it ran: open a dialog, set a flag, make an element."""

    def __init__(self, page: Page, width: int) -> None:
        self.page = page
        self.width = width
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def inert(self, where: str) -> None:
        """No payload ran or became markup, and the page fits the width."""
        page = self.page
        page.wait_for_load_state("load")
        assert self.dialogs == [], (where, self.dialogs)
        assert page.evaluate("typeof window.__xss") == "undefined", where
        assert page.locator("img[src='x']").count() == 0, where
        assert page.locator("script:not([src]):not([type='application/json'])").count() == 0
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= self.width, (where, scroll, page.evaluate(WIDE))


def pick(page: Page, field: str, typed: str, caption: str | re.Pattern[str]) -> None:
    """Type into a name picker, arrow down to the option with `caption`, press Enter."""
    box = page.locator(f"#{field}")
    box.press_sequentially(typed, delay=25)
    listbox = page.locator(f"#{field}-picker-list")
    expect(listbox).to_have_attribute("data-query", typed)
    expect(listbox).to_be_visible()
    offered = listbox.locator("[role=option] .picker-caption").all_inner_texts()
    index = next(
        i
        for i, text in enumerate(offered)
        if (caption.search(text) if isinstance(caption, re.Pattern) else text == caption)
    )
    for _ in range(index + 1):
        box.press("ArrowDown")
    expect(listbox.locator("[role=option]").nth(index)).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator(f"#{field}-picker-chosen")).to_contain_text(caption)


def test_the_investigation_from_search_to_the_bundle(
    tab: Page, desk: Desk, width: int, tmp_path: Path
) -> None:
    page, site, user = tab, desk.site, desk.users[width]
    watch = Watch(page, width)
    step = iter(range(1, 100))

    def snap(name: str) -> None:
        watch.inert(name)
        shot(page, f"journey-{width}-{next(step):02d}-{name}")

    sign_in(page, site, user, purpose=PURPOSE)

    # A case to work in, named with a payload: a fresh user has none yet.
    page.goto(f"{site.url}/cases")
    expect(page.get_by_text("Private file")).to_have_count(0)
    page.get_by_label("Name", exact=True).fill(CASE)
    page.get_by_label("Purpose", exact=True).fill(PURPOSE)
    page.get_by_role("button", name="Open case").click()
    expect(page.locator("h1")).to_have_text(CASE)
    expect(page.locator(".who .work")).to_contain_text(CASE)
    case_id = page.url.split("#")[0].rstrip("/").rsplit("/", 1)[1]
    snap("case-opened")

    # Search → the official's entity page.
    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Search names, addresses, identifiers and text").fill(STORY.official)
    page.get_by_role("button", name="Search", exact=True).click()
    hit = page.locator(".hit .caption", has_text=re.compile("Albrecht")).first
    expect(hit).to_be_visible()
    snap("search")
    hit.click()
    expect(page.locator("h1")).to_contain_text("Albrecht")
    official = page.locator("h1").inner_text()
    expect(page.locator("#rels-title")).to_be_visible()
    snap("entity")

    # The graph by name: the start and the target are chosen in the pickers, not by id.
    page.get_by_role("link", name="Graph", exact=True).click()
    page.wait_for_url("**/graph")
    pick(page, "g-start", "Albrecht Kat", official)
    assert page.locator("#g-start").input_value() != "Albrecht Kat"  # an id now
    pick(page, "g-target", "Hansa Töchter", SUBSIDIARY)
    expect(page.locator("#g-target-picker-list img")).to_have_count(0)
    page.locator("#g-hops").fill("6")
    page.locator("#g-k").fill("10")
    snap("picked")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#graph")).to_have_attribute("data-ready", "true")
    assert re.search(r"[?&]k=10(&|$)", page.url), page.url
    # The form came back with ids in it; the names stay beside them, and head the paths.
    expect(page.locator("#g-start-picker-chosen")).to_contain_text(official)
    expect(page.locator("#g-target-picker-chosen")).to_contain_text(SUBSIDIARY)
    expect(page.locator("#paths-title")).to_have_text(f"Paths to {SUBSIDIARY}")
    paths = page.locator("ol.paths > li")
    count = paths.count()
    assert 2 <= count <= 10, count
    expect(page.locator("#path-label")).to_contain_text(f"Path 1 of {count}")
    # Every path ends at the tip-off's company, its name drawn as text.
    expect(paths.first).to_contain_text(SUBSIDIARY)
    expect(page.locator("#graph-nodes")).to_contain_text(SUBSIDIARY)
    snap("paths")

    # Step through the paths until the demo's chain is the one shown.
    stepper = page.locator("#path-stepper")
    on_path = page.locator("#graph-nodes li.on-path")
    shown = 1
    while not all(name in " ".join(on_path.all_inner_texts()) for name in CHAIN):
        assert shown < count, "the demo's chain is not among the k best paths"
        page.get_by_role("button", name="Next path →").click()
        shown += 1
        expect(stepper).to_have_attribute("data-path", str(shown))
        expect(page.locator("#path-label")).to_contain_text(f"Path {shown} of {count}")
        expect(paths.nth(shown - 1)).to_have_attribute("aria-current", "true")
    chain = paths.nth(shown - 1)
    for name in (official, *CHAIN, SUBSIDIARY):
        expect(chain).to_contain_text(name)
    expect(chain).to_contain_text(re.compile(r"Sokolo|Соколов"))
    expect(on_path).to_have_count(6)  # official, relative, offshore, holding, contractor, KG
    snap("chain")

    # Save the chart into the case.
    save = page.locator("#save-chart")
    save.locator("summary").click()
    expect(save).to_have_attribute("data-cases", re.compile(r"^[1-9]"))
    page.locator("#chart-case").select_option(case_id)
    page.get_by_label("Title").fill(f"Chain to the KG {SCRIPT}")
    page.get_by_label("Annotation").fill("Official to contractor, then to its new subsidiary")
    page.get_by_role("button", name="Save chart").click()
    expect(page.locator("#chart-result")).to_contain_text(f"Saved “Chain to the KG {SCRIPT}”")
    snap("chart-saved")

    # From the path to the subsidiary's page: copy a citation of its name, add it to a note.
    chain.get_by_role("link", name=SUBSIDIARY).click()
    expect(page.locator("h1")).to_have_text(SUBSIDIARY)
    row = page.locator("table.props tr", has=page.locator("th", has_text="Name"))
    fact = row.locator(".fact").first
    fact.locator(".cite-box summary").click()
    code = fact.locator(".cite-code")
    expect(code).to_have_text(re.compile(r"^\[\[stmt:[0-9a-f]+\]\]$"))
    citation = code.inner_text()
    statement_id = citation.removeprefix("[[stmt:").removesuffix("]]")
    copy = fact.get_by_role("button", name="Copy citation")
    copy.click()
    expect(copy).to_have_attribute("data-copied", citation)
    fact.get_by_label("Note (optional)").fill(f"Owned 60 % by the contractor {IMG}:")
    snap("cite")
    fact.get_by_role("button", name="Add to case note").click()
    expect(page.locator(".success")).to_contain_text("Added to a note in case")
    page.locator(".success a").click()

    # The case: the chart, the resolved citation, and the timeline of the chart's links.
    expect(page.locator("h1")).to_have_text(CASE)
    resolved = page.locator(".note-card .cited-statement").first
    expect(resolved).to_contain_text(SUBSIDIARY)
    expect(resolved).to_contain_text(TIPS)
    expect(page.locator(".note-card .text").first).to_contain_text(f"contractor {IMG}:")
    expect(page.locator(".note-card a.cite").first).to_have_attribute(
        "href", re.compile(rf"#stmt-{statement_id}$")
    )
    figure = page.locator("#charts figure.chart")
    expect(figure).to_have_count(1)
    expect(figure.locator("figcaption")).to_contain_text(f"Chain to the KG {SCRIPT}")
    image = figure.locator("img")
    assert (image.get_attribute("src") or "").startswith("data:image/svg+xml;base64,")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    periods = page.locator("#timeline .tl-period", has_text="Ownership")
    expect(periods.first).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text(SUBSIDIARY)
    expect(page.locator("#timeline")).to_contain_text(STORY.offshore)
    snap("case")

    # The evidence bundle: downloaded as JSON, it holds all three.
    page.get_by_label("Export as").select_option("json")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    saved = tmp_path / "bundle.json"
    download.value.save_as(saved)
    bundle = json.loads(saved.read_text(encoding="utf-8"))
    (chart,) = bundle["charts"]
    assert chart["title"] == f"Chain to the KG {SCRIPT}" and chart["svg"].startswith("<svg")
    captions = {node["caption"] for node in chart["nodes"]}
    assert {official, *CHAIN, SUBSIDIARY} <= captions, captions
    dated = {(item["schema"], item["statement_id"]) for item in bundle["timeline"]}
    assert "Ownership" in {schema for schema, _ in dated}
    labels = " ".join(item["label"] for item in bundle["timeline"])
    assert SUBSIDIARY in labels and STORY.offshore in labels
    statements = {s["id"]: s for s in bundle["statements"]}
    assert {statement for _, statement in dated} <= set(statements)
    assert statements[statement_id]["value"] == SUBSIDIARY
    assert any(citation in note["text"] for note in bundle["notes"])

    # Downloaded as HTML and opened from the disk (no server, no CSP to lean on).
    page.get_by_label("Export as").select_option("html")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    report = tmp_path / "bundle.html"
    download.value.save_as(report)
    page.goto(report.as_uri())
    expect(page.locator("body")).to_contain_text(CASE)
    expect(page.locator("body")).to_contain_text(SUBSIDIARY)
    expect(page.locator("body")).to_contain_text(f"contractor {IMG}:")
    assert page.locator("img[src^='data:image/svg+xml;base64,']").count() == 1
    snap("bundle")
