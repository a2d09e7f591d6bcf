"""Through the workbench: a case pins a document page, a note cites it as
`[[doc:ID#p2]]`, the case file resolves it to the page's text and its file, and the
evidence bundle carries the excerpt with the file's sha256 and name. A member who may
not read the documents sees the citation withheld, and not a word of its text."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from tests.conftest import entity, write_entities
from tests.ingest.documents.makers import pdf_bytes, write
from threadline.access import Level
from threadline.app.context import Context
from threadline.app.workbench import Workbench
from threadline.cases.citation import document_target, parse_citations
from threadline.cases.cited import ERASED, OK, WITHHELD
from threadline.cases.errors import UnknownCitation
from threadline.settings import Settings

PAGES = ["Cover page of the ledger", "Transfer of 9,900 EUR from Orrin Vantreight <b>now</b>"]


@dataclass
class World:
    bench: Workbench
    rita: Workbench  # reads `registry`, not `leak`
    doc_id: str
    page_ids: dict[int, str]
    sha256: str
    case_id: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("citations")
    data = pdf_bytes(PAGES, title="Ledger")
    write(tmp / "docs", "ledger.pdf", data)
    people = write_entities(tmp / "people.ijson", [entity("p-orr", "Person", name="Orrin")])
    with Workbench(Settings(data_dir=tmp / "data", workers=1)) as bench:
        bench.ingest([tmp / "docs"], "leak")
        bench.ingest([people], "registry")
        token = bench.user_add("rita").token
        bench.grant("rita", "registry", Level.READ)
        rows = [r for rows in bench.store.iter_entities("leak") for r in rows]
        doc_id = next(r.entity_id for r in rows if r.schema == "Pages")
        pages = {
            int(r.value): r.entity_id for r in rows if r.schema == "Page" and r.prop == "index"
        }
        case = bench.case_create("Ledger", "follow the transfer", "all")
        bench.case_member(case.id, "rita", "reader")
        rita = bench.acting(Context(token=token, case=case.id))
        yield World(bench, rita, doc_id, pages, hashlib.sha256(data).hexdigest(), case.id)


def test_document_citations_parse_with_their_page() -> None:
    cited = parse_citations("See [[doc:abc#p3]], [[doc:abc]] and [[entity:x]].")
    assert cited.documents == ("abc#p3", "abc")
    assert cited.entities == ("x",)
    assert document_target("abc#p3") == ("abc", 3)
    assert document_target("abc") == ("abc", None)
    assert document_target("a#b#p12") == ("a#b", 12)
    assert document_target("abc#p0") == ("abc#p0", None)  # pages count from 1


def test_a_page_is_pinned_by_its_document_and_number(world: World) -> None:
    pin = world.bench.case_pin(world.case_id, f"{world.doc_id}#p2", "the transfer")
    assert pin.entity_id == world.page_ids[2]  # the Page entity itself
    shown = world.bench.case_show(world.case_id)
    assert world.page_ids[2] in [p.entity_id for p in shown.pins]
    with pytest.raises(UnknownCitation):
        world.bench.case_pin(world.case_id, f"{world.doc_id}#p9")


def test_a_note_cites_a_page_and_the_case_file_resolves_it(world: World) -> None:
    note = world.bench.case_note(world.case_id, f"Paid, see [[doc:{world.doc_id}#p2]].")
    assert note.documents == (f"{world.doc_id}#p2",)
    cited = world.bench.case_show(world.case_id).citations[f"doc:{world.doc_id}#p2"]
    assert cited.state == OK
    assert cited.entity_id == world.page_ids[2]  # its link leads to the page
    assert cited.caption == "ledger.pdf, page 2"
    assert "Transfer of 9,900 EUR" in cited.value
    assert (cited.file, cited.source, cited.location) == ("ledger.pdf", world.sha256, 2)
    # The note's own text is kept as written; a page the document lacks is refused.
    with pytest.raises(UnknownCitation, match="document page"):
        world.bench.case_note(world.case_id, f"[[doc:{world.doc_id}#p7]]")
    with pytest.raises(UnknownCitation, match="document page"):
        world.bench.case_note(world.case_id, "[[doc:no-such-document#p1]]")


def test_the_bundle_holds_the_excerpt_and_the_file_hash(world: World, tmp_path: Path) -> None:
    world.bench.case_note(world.case_id, f"The ledger: [[doc:{world.doc_id}#p2]]")
    paths = world.bench.case_export(world.case_id, tmp_path)
    bundle = orjson.loads(paths[0].read_bytes())
    [page] = [p for p in bundle["pages"] if p["ref"] == f"doc:{world.doc_id}#p2"]
    assert page["state"] == OK
    assert page["file"] == {"name": "ledger.pdf", "sha256": world.sha256}
    assert page["page"] == 2 and page["page_id"] == world.page_ids[2]
    assert page["dataset"] == "leak"
    assert page["excerpt"] == "Transfer of 9,900 EUR from Orrin Vantreight <b>now</b>"
    html = paths[1].read_text()
    assert world.sha256 in html
    assert "&lt;b&gt;now&lt;/b&gt;" in html and "<b>now</b>" not in html  # text, escaped
    assert f'href="#{page["anchor"]}"' in html and f'id="{page["anchor"]}"' in html


def test_a_reader_without_the_documents_sees_the_citation_withheld(
    world: World, tmp_path: Path
) -> None:
    world.bench.case_note(world.case_id, f"Withheld from rita: [[doc:{world.doc_id}#p2]]")
    cited = world.rita.case_show(world.case_id).citations[f"doc:{world.doc_id}#p2"]
    assert cited.state == WITHHELD
    assert (cited.value, cited.file, cited.source, cited.entity_id) == ("", "", "", "")
    paths = world.rita.case_export(world.case_id, tmp_path)
    bundle = orjson.loads(paths[0].read_bytes())
    assert {p["state"] for p in bundle["pages"]} == {WITHHELD}
    text = paths[0].read_text() + paths[1].read_text()
    assert "Transfer of 9,900" not in text and world.sha256 not in text
    assert "ledger.pdf" not in text


def test_an_erased_document_is_flagged_and_its_file_deleted(world: World, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    data = pdf_bytes(["A memo that will be erased"])
    write(gone, "memo.pdf", data)
    world.bench.ingest([gone], "scratch")
    rows = [r for rows in world.bench.store.iter_entities("scratch") for r in rows]
    memo = next(r.entity_id for r in rows if r.schema == "Pages")
    world.bench.case_note(world.case_id, f"Memo: [[doc:{memo}#p1]]")
    world.bench.document_page(memo, 1)  # drawn and cached
    originals = world.bench.data_dir / "originals"
    assert (originals / hashlib.sha256(data).hexdigest()[:2]).is_dir()
    world.bench.erase(dataset="scratch")
    # Its bytes and its drawn pages go with it; the leak's file stays.
    kept = {p.name for p in originals.glob("*/*")}
    assert hashlib.sha256(data).hexdigest() not in kept and world.sha256 in kept
    assert not list((world.bench.data_dir / "page-images").rglob("*.png"))
    cited = world.bench.case_show(world.case_id).citations[f"doc:{memo}#p1"]
    assert (cited.state, cited.value) == (ERASED, "")
