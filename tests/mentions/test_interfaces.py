"""The mentions verbs through every layer: the command line, the HTTP API, the entity
page and the graph."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.cli.runner import cli
from tests.conftest import entity, write_entities
from tests.live_server import LiveServer
from tests.mentions.conftest import PURPOSE, settings
from threadline.api.app import create_app
from threadline.app.workbench import Workbench
from threadline.graph.semantics import MENTIONED_IN


def test_the_command_line_finds_and_shows_mentions(data_dir: Path) -> None:
    done = cli(data_dir, "find-mentions", "--dataset", "leak")
    assert done.code == 0, done.stderr
    assert "2 documents read" in done.stderr
    assert "5 mentions, 0 new or changed, 0 removed" in done.stderr
    done = cli(data_dir, "mentions", "p-sok", "--json")
    assert done.code == 0, done.stderr
    [line] = done.lines()
    assert (line["document"], line["page"], line["text"]) == ("invoice.pdf", 2, "VLADIMIR SOKOLOV")
    assert line["snippet"] == "Paid by VLADIMIR SOKOLOV to Halcyon Crest"
    table = cli(data_dir, "mentions", "c-hal")
    assert table.code == 0 and "HRB 12345" in table.stdout
    missing = cli(data_dir, "find-mentions", "--dataset", "nope")
    assert missing.code == 1 and "No dataset named 'nope'" in missing.stderr


def test_the_api_lists_where_an_entity_is_mentioned(data_dir: Path) -> None:
    with Workbench(settings(), data_dir=data_dir) as bench:
        sam = bench.user_add("sam").token
        rita = bench.user_add("rita").token
        for dataset in ("leak", "registry"):
            bench.grant("sam", dataset, "read")
        bench.grant("rita", "leak", "read")
    with LiveServer(create_app(settings().model_copy(update={"data_dir": data_dir}))) as live:

        def get(token: str, path: str) -> httpx.Response:
            headers = {"Authorization": f"Bearer {token}", "X-Purpose": PURPOSE}
            with httpx.Client(base_url=f"{live.url}/api/v1", headers=headers) as client:
                return client.get(path)

        answer = get(sam, "/entities/b-acc/mentions")
        assert answer.status_code == 200, answer.text
        [found] = answer.json()
        assert found["text"] == "DE89 3704 0044 0532 0130 00"
        assert (found["page"], found["document"], found["confidence"]) == (3, "invoice.pdf", 0.95)
        assert found["snippet"]["match"] == "DE89 3704 0044 0532 0130 00"
        assert found["snippet"]["before"] == "IBAN "
        # Rita reads the documents only: the entity answers as a missing one does.
        hidden, missing = get(rita, "/entities/b-acc/mentions"), get(rita, "/entities/zz/mentions")
        assert hidden.status_code == missing.status_code == 404
        assert "DE89" not in hidden.text
        assert get(sam, "/entities/b-acc/mentions?limit=0").status_code == 422


def test_the_entity_page_lists_mentioned_in_with_escaped_snippets(tmp_path: Path) -> None:
    hostile = tmp_path / "docs"
    hostile.mkdir()
    (hostile / "note.txt").write_text("<script>alert(1)</script> Halcyon Crest <b>paid</b>")
    records = write_entities(
        tmp_path / "r.ijson", [entity("c-hal", "Company", name="Halcyon Crest")]
    )
    data = tmp_path / "data"
    with Workbench(settings(), data_dir=data) as bench:
        bench.ingest([records], "registry")
        bench.ingest([hostile], "leak")
    app = create_app(settings().model_copy(update={"data_dir": data}), local=True)
    with LiveServer(app) as live, httpx.Client(base_url=live.url) as client:
        page = client.get("/entities/c-hal")
    assert page.status_code == 200, page.text
    assert "Mentioned in" in page.text
    assert "<mark>Halcyon Crest</mark>" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text and "<b>paid" not in page.text


def test_the_graph_shows_mentioned_in_links(bench: Workbench) -> None:
    [view] = bench.mentions("p-sok")
    graph = bench.graph_neighbours("p-sok")
    [edge] = [e for e in graph.edges if e.type == MENTIONED_IN]
    assert (edge.source, edge.target, edge.id) == ("p-sok", view.document_id, view.mention_id)
    assert view.document_id in {n.id for n in graph.nodes}
