"""The document page marks every mention in its text, with a link to the entity named:
for each reader only the entities they may read, in text that stays text.

Its own small world (a real server in server mode, Debian's Chromium): records in
`registry` and `gone`, a note and a PDF in `leak`; sam reads all three, rita only the
documents. `gone` is erased after the mentions were found, and not scanned again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import entity, write_entities
from tests.ingest.documents.makers import pdf_bytes, write
from tests.live_server import LiveServer
from tests.web.conftest import PASSWORD, Site, shot, sign_in
from threadline.access import Role
from threadline.api.app import create_app
from threadline.app.workbench import Workbench
from threadline.settings import Settings

NOTE = (
    "<script>window.__xss=1</script> Paid by Halcyon Crest Ltd to Orrin Vantreight,\n"
    "<b>approved</b> by Talmadge Ferrowby & Halcyon Crest."
)
PAGES = ["Cover page", "Transfer from Orrin Vantreight to Halcyon Crest"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("marks")
    records = write_entities(
        tmp / "registry.ijson",
        [
            entity("c-hal", "Company", name="Halcyon Crest Ltd"),
            entity("p-orr", "Person", name="Orrin Vantreight"),
        ],
    )
    gone = write_entities(tmp / "gone.ijson", [entity("p-tal", "Person", name="Talmadge Ferrowby")])
    folder = tmp / "docs"
    (folder / "note.txt").parent.mkdir()
    (folder / "note.txt").write_text(NOTE)
    write(folder, "transfer.pdf", pdf_bytes(PAGES, title="Transfer"))
    data = tmp / "data"
    settings = Settings(data_dir=data, workers=1)
    with Workbench(settings) as bench:
        bench.ingest([folder], "leak")  # documents first: the records' scan finds the names
        bench.ingest([records], "registry")
        bench.ingest([gone], "gone")
        assert len(bench.mentions("p-tal")) == 1
        access = bench.accountability.access
        for name, datasets in (("sam", ("leak", "registry", "gone")), ("rita", ("leak",))):
            bench.user_add(name, Role.INVESTIGATOR)
            access.set_password(name, PASSWORD)
            for dataset in datasets:
                bench.grant(name, dataset, "read")
        bench.erase(dataset="gone")  # its mention stays stored until a scan replaces it
        ids = {
            (rows[0].schema, next((r.value for r in rows if r.prop == "index"), None)): (
                rows[0].entity_id
            )
            for rows in bench.store.iter_entities("leak")
        }
    app = create_app(settings)
    with LiveServer(app) as live:
        yield World(live.url, app, ids)


@dataclass
class World(Site):
    """The running server, and the ids of the documents by (schema, page number)."""

    ids: dict[tuple[str, str | None], str]

    def document(self, schema: str, index: int | None = None) -> str:
        return f"{self.url}/entities/{self.ids[(schema, None if index is None else str(index))]}"


def test_a_document_marks_each_mention_with_a_link(page: Page, world: World) -> None:
    sign_in(page, world, "sam", purpose="Reading the leak")
    page.goto(world.document("PlainText"))
    text = page.locator(".doc-text")
    expect(text).to_have_count(1)
    marks = text.locator("mark.mention a")
    expect(marks).to_have_text(["Halcyon Crest Ltd", "Orrin Vantreight", "Halcyon Crest"])
    assert marks.first.get_attribute("href") == "/entities/c-hal"
    assert marks.nth(1).get_attribute("href") == "/entities/p-orr"
    assert marks.first.get_attribute("title") == "Halcyon Crest Ltd"
    # The whole text is there, as text: the markup in it is shown, not run.
    assert text.text_content() == NOTE
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert text.locator("b, script").count() == 0
    shot(page, "document-marks")
    # A mark leads to the entity, whose page says where it is mentioned.
    marks.nth(1).click()
    page.wait_for_url("**/entities/p-orr")
    expect(page.locator("ul.mentions li")).to_have_count(2)


def test_a_pdf_page_marks_the_names_on_it(page: Page, world: World) -> None:
    sign_in(page, world, "sam", purpose="Reading the leak")
    page.goto(world.document("Page", 2))
    expect(page.locator(".doc-text mark.mention a")).to_have_text(
        ["Orrin Vantreight", "Halcyon Crest"]
    )
    page.goto(world.document("Page", 1))
    expect(page.locator(".doc-text")).to_have_count(0)  # nothing named on the cover


def test_only_entities_the_reader_may_read_are_marked(page: Page, world: World) -> None:
    sign_in(page, world, "rita", purpose="Reading the leak")
    page.goto(world.document("PlainText"))
    shown = page.locator("span.value").filter(has_text="Paid by Halcyon Crest Ltd")
    expect(shown).to_have_text(NOTE.replace("\n", " "))  # the text, unmarked
    assert page.locator("mark.mention").count() == 0  # registry is not hers to read
    assert "c-hal" not in page.content() and "p-orr" not in page.content()


def test_an_erased_entity_is_not_marked(page: Page, world: World) -> None:
    sign_in(page, world, "sam", purpose="Reading the leak")
    page.goto(world.document("PlainText"))
    expect(page.locator("mark.mention")).to_have_count(3)
    assert "Talmadge Ferrowby" not in page.locator("mark.mention").all_inner_texts()
    assert "p-tal" not in page.content()  # its mention is still stored, not shown
