"""The watches page in real Chromium over a real server: watch a search from the search
page and an entity from its page, make a pair on the watches page, see an alert come
in after an ingest and mark it seen, stop watching; a watch that would profile people
is refused with the rule's own message, as the API refuses it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import entity, write_entities
from tests.web.conftest import SignIn, Site, shot
from threadline.access import Level
from threadline.access.profiling import ProfilingRefused, refuse_profiling
from threadline.audit.query import AuditFilter
from threadline.demo import STORY

NEWCOMER = "Quentin Watchable"


def _watch_list(page: Page) -> list[str]:
    return page.locator("#watch-list > li h3").all_inner_texts()


def test_watch_a_search_an_entity_and_a_pair_then_stop(
    page: Page, site: Site, signed_in: SignIn, tmp_path: Path
) -> None:
    bench = site.bench
    first = write_entities(tmp_path / "first.ijson", [entity("wt-1", "Person", name="Zeta Aside")])
    bench.ingest([first], "watched")
    bench.grant("kim", "watched", Level.READ)
    signed_in(page, "kim")
    page.goto(f"{site.url}/search?q={NEWCOMER.replace(' ', '+')}")
    page.get_by_role("button", name="Watch this search").click()
    page.wait_for_url("**/watches?made=**")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Watches")
    ).to_have_attribute("aria-current", "page")
    expect(page.locator("#watch-list")).to_contain_text(f"Search {NEWCOMER}")

    page.goto(f"{site.url}/search?q={STORY.contractor.replace(' ', '+')}")
    page.locator(".hits a.caption").first.click()
    page.wait_for_url("**/entities/**")
    entity_id = page.url.rsplit("/entities/", 1)[1]
    page.get_by_role("button", name="Watch this entity").click()
    page.wait_for_url("**/watches?made=**")
    expect(page.locator("#watch-list")).to_contain_text(f"Entity {entity_id}")

    page.get_by_label("From entity id").fill(entity_id)
    page.get_by_label("To entity id").fill("wt-1")
    page.get_by_label("At most this many hops").fill("2")
    page.get_by_role("button", name="Watch this pair").click()
    page.wait_for_url("**/watches?made=**")
    assert len(_watch_list(page)) == 3
    expect(page.locator("#watch-list")).to_contain_text("A path of at most 2 hops")

    # An ingest of something the search now finds: an alert, new until marked seen.
    second = write_entities(tmp_path / "second.ijson", [entity("wt-2", "Person", name=NEWCOMER)])
    bench.ingest([second], "watched")
    page.reload()
    searched = page.locator("#watch-list > li").filter(has_text=f"Search {NEWCOMER}")
    expect(searched.locator(".alert.new")).to_contain_text(f"new result for '{NEWCOMER}'")
    expect(searched.locator(".unseen")).to_have_text("1 new alert")
    shot(page, "watches")
    searched.get_by_role("button", name="Mark seen").click()
    page.wait_for_url("**/watches#watch-**")
    searched = page.locator("#watch-list > li").filter(has_text=f"Search {NEWCOMER}")
    expect(searched.locator(".unseen")).to_have_text("0 new alerts")
    expect(searched.locator(".alert")).to_contain_text(NEWCOMER)
    assert searched.locator(".alert.new").count() == 0

    while page.locator("#watch-list > li").count():
        page.locator("#watch-list > li").first.get_by_role("button", name="Stop watching").click()
        page.wait_for_url("**/watches?removed=1")
    expect(page.locator("main")).to_contain_text("No watches yet")
    actions = [
        e.event.action
        for e in bench.audit_log(AuditFilter(actor="kim")).events
        if e.event.action.startswith(("watch.", "alert."))
    ]
    for action in ("watch.search", "watch.entity", "watch.pair", "alert.seen", "watch.remove"):
        assert action in actions, actions


def test_a_watch_that_profiles_people_is_refused_on_the_page(
    page: Page, site: Site, signed_in: SignIn
) -> None:
    signed_in(page, "ben")
    page.goto(f"{site.url}/watches")
    page.get_by_label("Search", exact=True).fill("refugees")
    page.get_by_role("button", name="Watch this search").click()
    try:
        refuse_profiling("refugees", None, None, standing=True)
    except ProfilingRefused as refused:
        rule = str(refused)
    alert = page.locator("#watch-error")
    expect(alert).to_have_text(rule)
    shot(page, "watches-refused")
    expect(page.get_by_label("Search", exact=True)).to_have_value("refugees")  # kept to fix
    assert _watch_list(page) == []
    # A one-off search for the term passes (full-text research); watching it does not.
    page.goto(f"{site.url}/search?q=refugees")
    page.get_by_role("button", name="Watch this search").click()
    expect(page.locator("#watch-error")).to_have_text(rule)
    assert _watch_list(page) == []


def test_watch_forms_need_the_csrf_token(page: Page, site: Site, signed_in: SignIn) -> None:
    signed_in(page, "ben")
    answer = page.request.post(f"{site.url}/watches/entity", form={"entity_id": "wt-1"})
    assert answer.status == 403
    page.goto(f"{site.url}/watches")
    assert _watch_list(page) == []
