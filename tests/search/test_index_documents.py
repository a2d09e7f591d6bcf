"""Documents of merged entities: the same whether the indexer scans an id range or looks
ids up, and the same as assembling every member's statements by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney.types import registry

from tests.conftest import entity, write_entities
from threadline.app import indexer
from threadline.app.workbench import Workbench
from threadline.model.entity import Entity
from threadline.model.schema import schema_family
from threadline.search.document import PAGE, IndexDocument, make_document, page_caption
from threadline.search.facets import FACET_PROPS, addresses, years_of
from threadline.search.text import grams, name_tokens, tokens


@pytest.fixture
def merged(bench: Workbench, tmp_path: Path) -> Workbench:
    people = [
        entity("p1", "Person", name="Anna Novak", birthDate="1980-01-02"),
        entity("p2", "Person", name="Boris Petrov"),
        entity("p3", "Person", name="Clara Jung"),
        entity("p4", "Person", name="Dora Weiss"),
    ]
    more = [
        entity("q1", "Person", name="Anna Nowak", nationality="pl"),
        entity("q2", "Person", name="Boris Petroff"),
        entity("q9", "Person", name="Zeno Outsider"),
    ]
    bench.ingest([write_entities(tmp_path / "a.ijson", people)], "alpha")
    bench.ingest([write_entities(tmp_path / "b.ijson", more)], "beta")
    # p1 heads a cluster with a member outside any range of heads (q1); p3 heads one
    # with a member inside it (p2, between p1 and p3); "a0" heads a cluster although
    # it has no statements of its own (its dataset was erased).
    bench.store.judgements.set_canonical(
        {"p1": "p1", "q1": "p1", "p3": "p3", "p2": "p3", "a0": "a0", "q2": "a0"}, []
    )
    return bench


# Readers of one dataset each: every merged entity has a slice per dataset.
READERS = frozenset({frozenset({"alpha"}), frozenset({"beta"})})


def _by_hand(bench: Workbench, head: str) -> list[IndexDocument]:
    store = bench.store
    members = store.judgements.members_of([head]).get(head, [head])
    found = store.statements_for([head, *members])
    rows = [*found.get(head, []), *(r for m in members if m != head for r in found.get(m, []))]
    names = store.source_names() if head in found else {}
    return indexer.entity_documents(Entity.assemble(head, rows, names), readers=READERS)


@pytest.mark.parametrize("ranged", [True, False])
def test_merged_entities_take_every_members_statements(merged: Workbench, ranged: bool) -> None:
    ids = ["a0", "p1", "p2", "p3", "p4", "q9"]
    docs = indexer._build_with(merged.store, indexer.Task(ids, ranged, READERS))
    expected = [d for head in ("a0", "p1", "p3", "p4", "q9") for d in _by_hand(merged, head)]
    assert docs == expected
    whole = {d.id: d for d in docs if not d.absent}
    assert sorted(whole) == ["a0", "p1", "p3", "p4", "q9"]  # members are not indexed
    assert whole["p1"].names == ["Anna Novak", "Anna Nowak"]
    assert whole["a0"].names == ["Boris Petroff"]
    assert sorted(whole["p3"].names) == ["Boris Petrov", "Clara Jung"]


def test_a_range_scan_and_lookups_give_the_same_documents(merged: Workbench) -> None:
    for ids in (["p1", "p3"], ["p2", "p4"], ["a0", "q2", "q9"], ["p3", "q1", "q2"]):
        scanned = indexer._build_with(merged.store, indexer.Task(ids, True, READERS))
        looked_up = indexer._build_with(merged.store, indexer.Task(ids, False, READERS))
        assert scanned == looked_up


def _reference_document(entity: Entity, absent: list[str]) -> IndexDocument:
    """The document as the indexer first built it: from a followthemoney proxy of the
    whole entity (the oracle for the faster build from statements)."""
    proxy = entity.proxy
    names: list[str] = []
    values: list[str] = []
    countries: set[str] = set()
    for prop, value in proxy.itervalues():
        if prop.type.name in {"entity", "checksum", "mimetype"}:
            continue
        # A Mention's name is the text a document used for someone else: not its own.
        own = prop.name != "namesMentioned" and proxy.schema.name != "Mention"
        if prop.type == registry.name and own:
            names.append(value)
        elif prop.type == registry.country:
            countries.add(value)
        values.append(value)
    names = sorted(set(names))
    name_terms = [t for name in names for t in name_tokens(name)]
    schema = proxy.schema
    prop_values = {p: proxy.get(p) for p in FACET_PROPS if p in schema.properties}
    return IndexDocument(
        id=entity.id,
        schema=proxy.schema.name,
        schemata=schema_family(proxy.schema),
        # A link's caption without its ends (none are given here); a page's names its
        # document, here none.
        caption=page_caption(entity, None) if proxy.schema.name == PAGE else entity.caption,
        datasets=entity.datasets,
        countries=sorted(countries),
        names=names,
        values=sorted(set(values) - set(names)),
        name_text=" ".join(name_terms),
        name_grams=" ".join(g for t in dict.fromkeys(name_terms) for g in grams(t)),
        full_text=" ".join(t for value in sorted(set(values)) for t in tokens(value)),
        absent=sorted(absent),
        # A page's facets are its document's (none is given here).
        doc_type=[schema.name] if schema.is_a("Document") else [],
        senders=addresses(v for p in ("from", "sender") for v in prop_values.get(p, [])),
        recipients=addresses(v for p in ("to", "cc", "bcc") for v in prop_values.get(p, [])),
        years=[] if schema.name == PAGE else years_of(prop_values),
    )


def test_documents_match_a_proxy_of_the_entity_for_every_demo_schema(
    full_demo_dir: Path,
) -> None:
    bench = Workbench(data_dir=full_demo_dir)
    try:
        store = bench.store
        names = store.source_names()
        schemata: set[str] = set()
        checked = 0
        for group in store.iter_entities():
            built = Entity.assemble(group[0].entity_id, group, names)
            schema = built.schema.name
            if schema in schemata and checked > 3_000:
                continue
            schemata.add(schema)
            absent = ["elsewhere"] if checked % 2 else []
            assert make_document(built, absent) == _reference_document(built, absent)
            checked += 1
        assert len(schemata) >= 8
    finally:
        bench.close()
