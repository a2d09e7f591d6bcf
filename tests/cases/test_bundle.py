"""The evidence bundle: JSON-able, self-contained HTML, inert payloads, no dead links."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cases.conftest import rows, source, team_case
from threadline.cases.bundle import FORMAT, anchor, build_bundle
from threadline.cases.case import with_member
from threadline.cases.citation import cite
from threadline.cases.note import Note, new_note
from threadline.cases.pin import new_pin
from threadline.cases.report import render_html
from threadline.cases.timeline import timeline
from threadline.model.statement import StatementRow

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">"\'&'
TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "table", "tr"}
TAGS |= {"th", "td", "div", "p", "a", "code", "section"}


class Page(HTMLParser):
    """Every tag, attribute, link target and anchor id of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.hrefs: list[str] = []
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        for name, value in attrs:
            if name == "href" and value is not None:
                self.hrefs.append(value)
            if name == "id" and value is not None:
                self.ids.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(document: str) -> Page:
    page = Page()
    page.feed(document)
    page.close()
    return page


def investigation(
    payload: str = "Jane",
) -> tuple[list[StatementRow], list[Note], dict[str, Any]]:
    person = rows("Person", "p1", "a", name=payload, birthDate="1970-05-02")
    company = rows("Company", "c1", "b", name="Acme", incorporationDate="1999")
    hidden = rows("Company", "c9", "d", name="Hidden")
    case = with_member(team_case(), payload if payload.strip() else "x", "reader")
    by_prop = {r.prop: r for r in person + company + hidden}
    text = (
        f"{payload} was born {cite('stmt', by_prop['birthDate'].id)} and "
        f"{cite('entity', 'p1')} runs {cite('stmt', by_prop['incorporationDate'].id)}; "
        f"also {cite('stmt', hidden[1].id)} and {cite('entity', payload)}"
    )
    note = new_note(case, "bob", text, lambda ids: ids, now="2026-01-01T00:00:00.000000Z")
    pins = [new_pin(case, "p1", "bob", payload), new_pin(case, "c1", "alice")]
    statements = person + company + hidden
    bundle = build_bundle(
        case,
        [note],
        statements,
        [source("a"), source("b")],
        generated_by="alice",
        pins=pins,
        timeline=timeline(statements, entity_ids={"p1", "c1"}),
        scope={"a", "b"},
        generated_at="2026-02-01T00:00:00.000000Z",
    )
    return statements, [note], bundle


def test_bundle_is_json_and_carries_provenance() -> None:
    statements, _notes, bundle = investigation()
    assert json.loads(json.dumps(bundle)) == bundle
    assert bundle["format"] == FORMAT
    assert bundle["case"]["purpose"] == "Trace who owns Acme"
    assert bundle["case"]["sources"] == ["a", "b"]
    cited = {s["id"]: s for s in bundle["statements"]}
    birth = next(r for r in statements if r.prop == "birthDate")
    assert cited[birth.id]["source"] == {
        "sha256": "sha-a",
        "name": "a.csv",
        "kind": "csv",
        "size": 10,
        "ingested_at": "2026-01-01T00:00:00",
    }
    assert cited[birth.id]["location"] == 7
    assert [e["id"] for e in bundle["entities"]] == ["p1", "Jane", "c1"]
    assert [t["entity_id"] for t in bundle["timeline"]] == ["p1", "c1"]


def test_statements_outside_scope_are_withheld_and_marked_unavailable() -> None:
    statements, [note], bundle = investigation()
    hidden = next(r for r in statements if r.entity_id == "c9" and r.prop == "name")
    assert hidden.id in note.statements
    assert all(s["dataset"] in {"a", "b"} for s in bundle["statements"])
    assert bundle["unavailable"] == [{"id": hidden.id, "anchor": anchor("stmt", hidden.id)}]
    assert "Hidden" not in render_html(bundle)


def test_only_evidence_leaves() -> None:
    case = team_case()
    kept = rows("Person", "p1", "a", name="Jane")
    other = rows("Person", "p2", "a", name="Uncited")
    note = new_note(case, "bob", cite("stmt", kept[1].id), lambda ids: ids)
    bundle = build_bundle(case, [note], kept + other, [], generated_by="alice")
    assert [s["id"] for s in bundle["statements"]] == [kept[1].id]
    assert bundle["statements"][0]["source"] == {"sha256": "sha-a", "name": None}
    assert "Uncited" not in render_html(bundle)


def test_every_citation_links_to_an_anchor_on_the_page() -> None:
    _statements, [note], bundle = investigation()
    page = parse(render_html(bundle))
    assert len(page.ids) == len(set(page.ids))
    targets = [href.removeprefix("#") for href in page.hrefs]
    assert all(href.startswith("#") for href in page.hrefs)
    assert set(targets) <= set(page.ids)
    for statement_id in note.statements:
        assert anchor("stmt", statement_id) in targets
    for entity_id in note.entities:
        assert anchor("entity", entity_id) in targets


def check_inert(document: str, payload: str) -> None:
    page = parse(document)
    assert set(page.tags) <= TAGS
    assert page.tags.count("script") == 0 and page.tags.count("img") == 0
    assert not [name for name, _value in page.attributes if name.startswith("on")]
    assert all(href.startswith("#") for href in page.hrefs)
    assert set(h.removeprefix("#") for h in page.hrefs) <= set(page.ids)
    assert payload in "".join(page.text)  # shown as text, not dropped


def test_payloads_in_notes_and_values_render_inert() -> None:
    _statements, _notes, bundle = investigation(XSS)
    document = render_html(bundle)
    assert "<script>" not in document and 'onerror="' not in document
    check_inert(document, XSS)


markup = st.text(alphabet=st.sampled_from(list("<>\"'&=/ ;:ascriptonerrhf[]x")), min_size=1)


@settings(max_examples=150, deadline=None)
@given(markup)
def test_generated_payloads_render_inert(payload: str) -> None:
    _statements, _notes, bundle = investigation(payload)
    check_inert(render_html(bundle), payload.strip() and payload)
