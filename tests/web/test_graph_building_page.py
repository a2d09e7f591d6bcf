"""The graph page over a large link graph whose view is stale: it never builds the view
in the request but says the graph is being built, answers 503 with `Retry-After`, and
reloads itself then (in Chromium)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import entity, write_entities
from tests.live_server import LiveServer
from tests.web.conftest import PASSWORD, Site, sign_in
from threadline.access import Level, Role
from threadline.api.app import create_app
from threadline.app.verbs.graph import view_cache
from threadline.app.workbench import Workbench
from threadline.settings import Settings

LINKED = [
    entity("anna", "Person", name="Anna Berg"),
    entity("alpha", "Company", name="Alpha Holding"),
    entity("own1", "Ownership", owner="anna", asset="alpha"),
]


@pytest.fixture(scope="module")
def stale_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server whose link graph is too large to build in a request (its inline limit
    is 0) and no worker that would build it."""
    root = tmp_path_factory.mktemp("web-graph-building")
    settings = Settings(data_dir=root / "data", require_purpose=True)
    with Workbench(settings) as bench:
        bench.ingest([write_entities(root / "a.ijson", LINKED)], "a")
        bench.user_add("bob", Role.INVESTIGATOR)
        bench.accountability.access.set_password("bob", PASSWORD)
        bench.grant("bob", "a", Level.READ)
        view_cache(bench).inline_limit = 0
        app = create_app(settings, bench=bench, run_jobs="none")
        with LiveServer(app) as live:
            yield Site(live.url, app)


def test_the_graph_page_says_the_graph_is_being_built_and_reloads(
    stale_site: Site, page: Page
) -> None:
    sign_in(page, stale_site, "bob")
    answer = page.goto(f"{stale_site.url}/graph?entity_id=anna")
    assert answer is not None and answer.status == 503
    retry = int(answer.headers["retry-after"])
    assert retry >= 1
    expect(page.get_by_role("alert")).to_contain_text("the link graph is being built")
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_attribute("content", str(retry))
    expect(page.get_by_text("This page reloads itself")).to_contain_text(f"in {retry} s")
    assert view_cache(stale_site.bench).built == 0  # not built in the request
