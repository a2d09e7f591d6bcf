"""The name picker in Chromium: type part of a name, arrow down, Enter, and the id is in
the form; only what the user may read is suggested; hostile names stay text; ids copy.

A small world of its own: people and companies in an `open` collection, one company in
a `secret` one, and two users, ana (reads both) and ben (reads `open` only).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Request, expect

from tests.conftest import entity, write_entities
from tests.live_server import LiveServer
from tests.web.conftest import PASSWORD, Site, shot, sign_in
from threadline.access import Level, Role
from threadline.api.app import create_app
from threadline.app.workbench import Workbench
from threadline.settings import Settings

HOSTILE = '<img src=x onerror="window.__xss=1">Sokolova'
SECRET = "Sokolov Secret Trust"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("picker")
    open_file = write_entities(
        root / "open.ijson",
        [
            entity("p-dmitry", "Person", name="Dmitry Sokolov", country="ru"),
            entity("p-dmitri", "Person", name="Dmitri Sokolov", country="ru"),
            entity("p-hostile", "Person", name=HOSTILE, country="de"),
            entity("c-sokol", "Company", name="Sokol Holdings Ltd", country="cy"),
        ],
    )
    secret_file = write_entities(
        root / "secret.ijson", [entity("c-secret", "Company", name=SECRET, country="pa")]
    )
    with Workbench(data_dir=root / "data") as bench:
        bench.ingest([open_file], "open")
        bench.ingest([secret_file], "secret")
        bench.resolve()
        access = bench.accountability.access
        for name, datasets in (("ana", ("open", "secret")), ("ben", ("open",))):
            bench.user_add(name, Role.INVESTIGATOR)
            access.set_password(name, PASSWORD)
            for dataset in datasets:
                bench.grant(name, dataset, Level.WRITE)
    app = create_app(Settings(data_dir=root / "data"))
    with LiveServer(app) as live:
        yield Site(live.url, app)


def asked(page: Page) -> list[str]:
    """The suggestion requests the page sends, as they go."""
    sent: list[str] = []

    def on_request(request: Request) -> None:
        if "/api/v1/suggest" in request.url:
            sent.append(request.url)

    page.on("request", on_request)
    return sent


def options(page: Page, field: str) -> list[str]:
    """The names offered for what is typed in `field` now (once its answer is in)."""
    listbox = page.locator(f"#{field}-picker-list")
    typed = page.locator(f"#{field}").input_value().strip()
    expect(listbox).to_have_attribute("data-query", typed)
    expect(listbox).to_be_visible()
    return listbox.locator("[role=option] .picker-caption").all_inner_texts()


def test_type_arrow_enter_puts_the_id_in_the_form_and_it_submits(page: Page, world: Site) -> None:
    sign_in(page, world, "ana", purpose="Who is Sokolov?")
    page.goto(f"{world.url}/review")
    page.get_by_role("link", name="Judge any two records").click()
    left = page.get_by_role("combobox", name="Left record")
    expect(left).to_have_attribute("aria-expanded", "false")
    left.press_sequentially("Dmitry Sok", delay=20)
    assert options(page, "pair-left")[0] == "Dmitry Sokolov"
    expect(left).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#pair-left-picker-list [role=option]").first).to_contain_text("Person")
    expect(page.locator("#pair-left-picker-list [role=option]").first).to_contain_text("open")
    expect(page.locator("#pair-left-picker-list [role=option]").first).to_contain_text("RU")
    left.press("ArrowDown")
    first = page.locator("#pair-left-picker-list [role=option]").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(left).to_have_attribute("aria-activedescendant", first.get_attribute("id") or "")
    shot(page, "picker-open")
    left.press("Enter")
    expect(left).to_have_value("p-dmitry")
    expect(left).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#pair-left-picker-chosen")).to_contain_text("Dmitry Sokolov")
    # A raw id typed in still works; Escape closes the list without choosing.
    right = page.get_by_role("combobox", name="Right record")
    right.fill("p-dmitri")
    expect(page.locator("#pair-right-picker-list")).to_be_visible()
    right.press("Escape")
    expect(page.locator("#pair-right-picker-list")).to_be_hidden()
    expect(right).to_have_value("p-dmitri")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".side h2")).to_have_text(["Left: Dmitry Sokolov", "Right: Dmitri Sokolov"])
    page.locator("button[data-key=s]").click()
    expect(page.locator(".success")).to_have_text("Judged the same.")
    judged = world.bench.store.judgements.touching({"p-dmitry"})
    assert any(j.actor == "ana" and j.verdict.value == "same" for j in judged)
    page.locator("button[data-key=z]").click()
    expect(page.locator(".success")).to_have_text("Your last judgement was undone.")
    expect(page.locator(".side")).to_have_count(2)


def test_no_request_under_two_characters_and_typing_is_debounced(page: Page, world: Site) -> None:
    sign_in(page, world, "ana", purpose="Typing fast")
    page.goto(f"{world.url}/review/pair")
    sent = asked(page)
    left = page.get_by_role("combobox", name="Left record")
    left.press_sequentially("S")
    page.wait_for_timeout(600)
    assert sent == []
    left.press_sequentially("okolov", delay=40)
    options(page, "pair-left")
    assert 1 <= len(sent) <= 2, sent  # not one request per key


def test_suggestions_come_only_from_what_the_user_may_read(page: Page, world: Site) -> None:
    sign_in(page, world, "ben", purpose="Reading the open collection")
    page.goto(f"{world.url}/review/pair")
    left = page.get_by_role("combobox", name="Left record")
    left.press_sequentially("Sokolov", delay=20)
    shown = options(page, "pair-left")
    assert "Dmitry Sokolov" in shown
    assert SECRET not in shown
    direct = page.evaluate(
        "() => fetch('/api/v1/suggest?q=Sokolov%20Secret&limit=50').then(r => r.json())"
    )
    assert direct["suggestions"] == []
    events = [e for e in world.bench.accountability.events() if e.action == "suggest"]
    assert any(e.actor == "ben" and e.purpose == "Reading the open collection" for e in events)
    assert not any("c-secret" in e.object_ids for e in events if e.actor == "ben")


def test_a_secret_is_suggested_to_whom_may_read_it(page: Page, world: Site) -> None:
    sign_in(page, world, "ana", purpose="Reading both collections")
    page.goto(f"{world.url}/review/pair")
    page.get_by_role("combobox", name="Left record").press_sequentially("Sokolov Sec", delay=20)
    assert options(page, "pair-left")[0] == SECRET


def test_a_hostile_name_is_shown_as_text(page: Page, world: Site) -> None:
    sign_in(page, world, "ana", purpose="Hostile names")
    page.goto(f"{world.url}/review/pair")
    left = page.get_by_role("combobox", name="Left record")
    left.press_sequentially("Sokolova", delay=20)
    assert HOSTILE in options(page, "pair-left")
    assert page.locator("#pair-left-picker-list img").count() == 0
    index = options(page, "pair-left").index(HOSTILE)
    for _ in range(index + 1):
        left.press("ArrowDown")
    left.press("Enter")
    expect(left).to_have_value("p-hostile")
    expect(page.locator("#pair-left-picker-chosen")).to_contain_text(HOSTILE)
    assert page.locator("main img").count() == 0
    assert page.evaluate("window.__xss") is None
    shot(page, "picker-hostile")


def test_without_a_purpose_the_picker_says_what_to_do(page: Page, world: Site) -> None:
    sign_in(page, world, "ana", purpose=None)
    page.goto(f"{world.url}/review/pair")
    page.get_by_role("combobox", name="Left record").press_sequentially("Dmitry", delay=20)
    expect(page.locator("#pair-left-picker-note")).to_contain_text("state a purpose")
    expect(page.locator("#pair-left-picker-list")).to_be_hidden()


def test_the_copy_button_copies_the_whole_id(
    context: BrowserContext, page: Page, world: Site
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=world.url)
    sign_in(page, world, "ana", purpose="Copying ids")
    page.goto(f"{world.url}/entities/p-dmitry")
    chip = page.locator(".entity-head .idchip")
    chip.get_by_role("button", name="Copy id p-dmitry").click()
    expect(chip.locator("button.copy")).to_contain_text("Copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == "p-dmitry"
    # Without the clipboard API (plain http on another host), the fallback copies too.
    page.evaluate("() => Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.wait_for_timeout(1600)  # the label comes back
    chip.locator("button.copy").click()
    expect(chip.locator("button.copy")).to_contain_text("Copied")


def test_the_picker_script_is_ours_and_names_go_in_as_text() -> None:
    script = (
        Path(__file__).resolve().parents[2] / "threadline" / "web" / "static" / "picker.js"
    ).read_text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_the_pair_form_names_the_field_that_is_wrong(page: Page, world: Site) -> None:
    sign_in(page, world, "ben", purpose="Judging by hand")
    unknown = page.goto(f"{world.url}/review/pair?left=p-dmitry&right=nobody")
    assert unknown is not None and unknown.status == 404
    expect(page.locator(".error")).to_have_text("Right: No entity with id 'nobody'.")
    hidden = page.goto(f"{world.url}/review/pair?left=c-secret&right=p-dmitry")
    assert hidden is not None and hidden.status == 404  # ben cannot read the secret
    expect(page.locator(".error")).to_have_text("Left: No entity with id 'c-secret'.")
    half = page.goto(f"{world.url}/review/pair?left=p-dmitry")
    assert half is not None and half.status == 400
    expect(page.locator(".error")).to_have_text("Right: choose a record by name or id.")
    expect(page.get_by_role("combobox", name="Left record")).to_have_value("p-dmitry")
