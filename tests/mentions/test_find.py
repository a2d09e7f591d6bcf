"""Finding mentions in ingested documents: names (a transliterated, upper-case
variant included), identifiers, offsets against the stored text, provenance, and a
re-run that writes nothing new."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney import model

from tests.conftest import entity, write_entities
from tests.mentions.conftest import MAIL, PAGES, settings
from threadline.app.verbs import mentions as verbs
from threadline.app.workbench import Workbench
from threadline.errors import NotFoundError
from threadline.mentions import MENTION, Span, mention_id
from threadline.mentions.mention import CONFIDENCE, SPAN
from threadline.model.statement import StatementRow


def _mention_rows(bench: Workbench) -> list[StatementRow]:
    return [r for rows in bench.store.iter_entities("leak") for r in rows if r.schema == MENTION]


def test_a_transliterated_upper_case_name_is_found_on_its_page(bench: Workbench) -> None:
    # Found on ingest: the records were there before the documents.
    [view] = bench.mentions("p-sok")
    assert (view.document_caption, view.page, view.text) == ("invoice.pdf", 2, "VLADIMIR SOKOLOV")
    page = bench.store.statements_for([view.text_entity_id])[view.text_entity_id]
    [body] = [r for r in page if r.prop == "bodyText"]
    assert body.value == PAGES[1]
    assert body.value[view.start : view.end] == "VLADIMIR SOKOLOV"
    assert (view.start, view.end) == (8, 24)
    assert view.snippet.before == "Paid by "
    assert view.snippet.after == " to Halcyon Crest"
    assert view.confidence == 0.8
    assert "Sokolova" not in [v.text for v in bench.mentions("p-sok")]


def test_identifiers_and_names_of_a_company(bench: Workbench) -> None:
    found = {(v.text, v.page) for v in bench.mentions("c-hal")}
    assert found == {
        ("Halcyon Crest", 2),  # the name without its legal form
        ("HRB 12345", 3),  # a registration number
        ("info@Halcyon-Crest.com", None),  # the e-mail address, in any case
    }  # and not "Halcyon-Crest" again inside the address
    [iban] = bench.mentions("b-acc")
    assert (iban.text, iban.page, iban.confidence) == ("DE89 3704 0044 0532 0130 00", 3, 0.95)
    [mail] = [v for v in bench.mentions("c-hal") if v.page is None]
    assert MAIL[mail.start : mail.end] == "info@Halcyon-Crest.com"


def test_names_too_short_or_not_whole_words_are_not_evidence(bench: Workbench) -> None:
    assert bench.mentions("p-maria") == []  # "Maria": one short word
    [signed] = bench.mentions("p-sec")  # white space runs inside a name still match
    assert signed.text == "Marguerite   Okonkwo"
    assert signed.snippet.match == "Marguerite Okonkwo"


def test_a_mention_is_a_followthemoney_mention_with_its_places(bench: Workbench) -> None:
    [view] = bench.mentions("p-sok")
    rows = bench.store.statements_for([view.mention_id])[view.mention_id]
    assert view.mention_id == mention_id(view.document_id, "p-sok")
    values = {(r.prop, r.value) for r in rows}
    assert ("document", view.document_id) in values
    assert ("resolved", "p-sok") in values
    assert ("name", "VLADIMIR SOKOLOV") in values
    assert (CONFIDENCE, "0.80") in values
    [span] = [r for r in rows if r.prop == SPAN]
    assert Span.parse(span.value) == Span(view.text_entity_id, span.value.split(":")[1], 8, 24)
    assert span.location == 2  # the page number, as for the page's own statements
    # The span names the very statement whose text it is in.
    page = bench.store.statements_for([view.text_entity_id])[view.text_entity_id]
    assert Span.parse(span.value).statement_id in {r.id for r in page if r.prop == "bodyText"}
    # Provenance: the document's file, in the document's dataset.
    assert {r.dataset for r in rows} == {"leak"}
    assert {r.source for r in rows} == {r.source for r in page}
    # detectedSchema is said only of entities of the document's own dataset.
    assert not any(r.prop == "detectedSchema" for r in rows)
    # Exports are plain FtM: our own properties stay in the store.
    mention = model.get(MENTION)
    assert mention is not None
    exported = [e for e in bench.export("leak") if e["schema"] == MENTION]
    assert len(exported) == 5  # p-sok, c-hal twice (pdf and mail), b-acc, p-sec
    for item in exported:
        assert set(item["properties"]) <= set(mention.properties)
        assert {"document", "resolved", "name"} <= set(item["properties"])


def test_running_again_writes_nothing_new(bench: Workbench) -> None:
    before = {r.id for r in _mention_rows(bench)}
    count = bench.store.count_statements()
    report = bench.find_mentions("leak")
    assert (report.documents, report.mentions, report.written, report.removed) == (2, 5, 0, 0)
    assert {r.id for r in _mention_rows(bench)} == before
    assert bench.store.count_statements() == count


def test_a_search_for_the_mentioned_finds_them_before_their_mentions(bench: Workbench) -> None:
    # A Mention's name is the document's text for someone else: text, not its own name.
    hits = bench.search("Vladimir Sokolov").hits
    assert hits[0].id == "p-sok"
    [mention] = [h for h in hits if h.schema == MENTION]  # still found, by its text
    assert hits[0].score > 2 * mention.score  # not tied with the person it names


def test_running_again_replaces_mentions_no_longer_found(bench: Workbench) -> None:
    assert bench.mentions("p-sec")
    bench.erase(dataset="secret")
    report = bench.find_mentions("leak")
    assert (report.mentions, report.written, report.removed) == (4, 0, 1)
    assert not any(r.value == "p-sec" for r in _mention_rows(bench))
    assert len(bench.search("Okonkwo").hits) == 1  # only the mail, no stale mention


def test_bad_input_is_refused_clearly(bench: Workbench) -> None:
    with pytest.raises(ValueError, match="dataset"):
        bench.find_mentions(" ")
    with pytest.raises(NotFoundError, match="No dataset named 'nope'"):
        bench.find_mentions("nope")
    with pytest.raises(ValueError, match="limit"):
        bench.mentions("p-sok", limit=0)
    with pytest.raises(NotFoundError):
        bench.mentions("zz-none")


def test_a_large_store_leaves_mentions_to_find_mentions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verbs, "AUTO_LIMIT", 0)  # every store is "large"
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.txt").write_text("Paid to Halcyon Crest")
    records = write_entities(
        tmp_path / "r.ijson", [entity("c-hal", "Company", name="Halcyon Crest")]
    )
    with Workbench(settings(), data_dir=tmp_path / "data") as bench:
        bench.ingest([records], "registry")
        [report] = bench.ingest([folder], "leak")
        assert "run `threadline find-mentions --dataset leak`" in str(report.warnings[0])
        assert bench.mentions("c-hal") == []
        assert bench.find_mentions("leak").written == 1
        assert [v.text for v in bench.mentions("c-hal")] == ["Halcyon Crest"]
