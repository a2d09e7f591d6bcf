"""Every page fits a phone (390 px) and a laptop (1366 px): no sideways scrolling of the
page, and no text squeezed to a letter per line. Screenshots of each page at each
width are kept in test-artifacts/web (widths-PAGE-WIDTH.png)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.web.conftest import TIMEOUT_MS, Site, shot, sign_in
from threadline.app.context import Context
from threadline.demo import STORY

WIDTHS = (390, 1366)

# What overflows and what is squeezed, measured in the page. A table inside a
# scrolling box (.scroll) may be wider than the screen: it scrolls on its own.
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  function name(el) {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    if (el.classList.length) text += "." + Array.from(el.classList).join(".");
    return text;
  }
  function scrolls(el) {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
    }
    return false;
  }
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !scrolls(el)) wide.push(name(el) + " ends at " + Math.round(box.right));
  }
  const squeezed = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text.length < 6) continue;
    const parent = node.parentElement;
    if (parent.checkVisibility && !parent.checkVisibility({checkVisibilityCSS: true})) continue;
    let clipped = false;  // text for screen readers alone sits in a box of 1 px
    for (let up = parent; up && !clipped; up = up.parentElement) clipped = up.getBoundingClientRect().width <= 1;
    if (clipped) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (lines.size >= 3 && text.length / lines.size < 4) {
      squeezed.push(name(node.parentElement) + ": " + text.slice(0, 30) + " on " + lines.size + " lines");
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 10), squeezed: squeezed.slice(0, 10)};
}"""


@dataclass(frozen=True)
class Ids:
    """What the pages are about: a merged entity, another entity, a case."""

    merged: str
    other: str
    case: str


@pytest.fixture(scope="module")
def ids(site: Site) -> Ids:
    ada = site.bench.acting(Context(actor="ada", purpose="Choosing pages to measure"))
    clusters: dict[str, int] = {}
    for head in site.bench.store.judgements.canonical_map().values():
        clusters[head] = clusters.get(head, 0) + 1
    assert clusters, "the demo is resolved: some records are merged"
    merged = ada.entity(max(sorted(clusters), key=lambda head: clusters[head]))
    assert len(merged.members) >= 2
    other = ada.search(STORY.offshore, limit=1).hits[0].id
    case = ada.case_create("Widths", "Checking pages at phone width")
    ada.case_pin(case.id, merged.entity.id, "the contractor")
    return Ids(merged.entity.id, other, case.id)


Path = Callable[[Ids], str]
# (name, path, signed in). Pages owned by the graph, case and audit work being rewritten
# now are measured too; see the report for those that fail.
PAGES: list[tuple[str, Path, bool]] = [
    ("login", lambda i: "/login", False),
    ("work", lambda i: "/work", True),
    ("search", lambda i: f"/search?q={STORY.contractor}", True),
    ("search-empty", lambda i: "/search", True),
    ("entity-merged", lambda i: f"/entities/{i.merged}", True),
    ("entity", lambda i: f"/entities/{i.other}", True),
    ("review", lambda i: "/review", True),
    ("review-pair", lambda i: f"/review/pair?left={i.merged}&right={i.other}", True),
    ("cases", lambda i: "/cases", True),
    ("case", lambda i: f"/cases/{i.case}", True),
    ("graph", lambda i: f"/graph?entity_id={i.merged}", True),
    ("ingest", lambda i: "/ingest", True),
    ("audit", lambda i: "/audit", True),
    ("not-found", lambda i: "/entities/no-such-entity", True),
]


def _context(browser: Browser, width: int) -> BrowserContext:
    made = browser.new_context(viewport={"width": width, "height": 844})
    made.set_default_timeout(TIMEOUT_MS)
    return made


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def tab(request: pytest.FixtureRequest, browser: Browser, site: Site) -> Iterator[Page]:
    """An admin's tab at one width (the admin sees every page, the audit pages too)."""
    context = _context(browser, request.param)
    page = context.new_page()
    sign_in(page, site, "ada", purpose="Checking every page at two widths")
    yield page
    context.close()


@pytest.fixture(scope="module")
def anonymous(browser: Browser) -> Iterator[Callable[[int], Page]]:
    contexts: list[BrowserContext] = []

    def at(width: int) -> Page:
        contexts.append(_context(browser, width))
        return contexts[-1].new_page()

    yield at
    for context in contexts:
        context.close()


def measure(page: Page) -> dict[str, Any]:
    page.wait_for_load_state("load")
    found: dict[str, Any] = page.evaluate(MEASURE)
    return found


@pytest.mark.parametrize(("name", "path", "signed"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_fits(
    name: str,
    path: Path,
    signed: bool,
    tab: Page,
    anonymous: Callable[[int], Page],
    site: Site,
    ids: Ids,
) -> None:
    width = tab.viewport_size["width"] if tab.viewport_size else 0
    page = tab if signed else anonymous(width)
    page.goto(site.url + path(ids))
    found = measure(page)
    shot(page, f"widths-{name}-{width}")
    assert found["scroll"] <= width, f"{name} is {found['scroll']} px wide: {found['wide']}"
    assert not found["squeezed"], f"{name} squeezes text: {found['squeezed']}"


def test_ids_on_the_entity_page_are_chips_with_a_copy_button(
    tab: Page, site: Site, ids: Ids
) -> None:
    page = tab
    page.goto(f"{site.url}/entities/{ids.merged}")
    chips = page.locator("#why-title ~ .scroll .idchip, .records .idchip")
    assert chips.count() >= 2
    first = chips.first
    full = first.locator("button.copy").get_attribute("data-copy") or ""
    assert len(full) > 12
    assert first.locator("[title]").first.get_attribute("title") == full
    shown = first.locator("code").evaluate("code => code.firstChild.textContent")
    assert shown.startswith(full[:8]) and len(shown) < len(full)
    box = first.bounding_box()
    assert box is not None and box["height"] < 40  # one line, not a letter per line
