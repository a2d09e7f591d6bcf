"""Relations as evidence: the names of the parties a record is linked to, read from a real
store, in bulk (a resolution run) and entity by entity (`explain`), and what they do to
a pair's score."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.resolve.relations import HUB_LIMIT, neighbour_names, neighbour_names_of


def _patents() -> list[dict[str, Any]]:
    """Two patents of one inventor (two mentions, p1 and p2), each with the same
    co-inventor (q1, q2) and assignee (c); a third patent (d3) with a namesake (p3)."""
    found = [
        entity("c", "Company", name="Acme Robotics Inc"),
        entity("d1", "Document", title="US-1"),
        entity("d2", "Document", title="US-2"),
        entity("d3", "Document", title="US-3"),
        entity("p1", "Person", name="John Smith", firstName="John", lastName="Smith"),
        entity("p2", "Person", name="John Smith", firstName="John", lastName="Smith"),
        entity("p3", "Person", name="John Smith", firstName="John", lastName="Smith"),
        entity("q1", "Person", name="Ann Lee"),
        entity("q2", "Person", name="Lee Ann"),  # name order does not matter
        entity("q3", "Person", name="Bo Chan"),
    ]
    links = [("d1", "p1"), ("d1", "q1"), ("d1", "c"), ("d2", "p2"), ("d2", "q2")]
    links += [("d2", "c"), ("d3", "p3"), ("d3", "q3")]
    found += [
        entity(f"l-{doc}-{who}", "Documentation", document=doc, entity=who) for doc, who in links
    ]
    return found


def _bench(tmp_path: Path, entities: list[dict[str, Any]]) -> Workbench:
    bench = Workbench(data_dir=tmp_path / "data")
    bench.ingest([write_entities(tmp_path / "e.json", entities)], "patents")
    return bench


def test_co_inventors_and_assignee_are_a_records_neighbours(tmp_path: Path) -> None:
    with _bench(tmp_path, _patents()) as bench:
        ids = ["p1", "p2", "p3", "c"]
        bulk = neighbour_names(bench.store, ids).to_pylist()
        # People first; an organisation's key carries the ORG prefix.
        assert bulk[0] == bulk[1] == ["ann lee", "org:acme robotics"]
        assert bulk[2] == ["bo chan"]
        # The company's neighbours are the inventors of its patents (not itself).
        assert bulk[3] == ["ann lee", "john smith"]
        # Entity by entity (explain) gives the same; a reader of no dataset sees none.
        assert neighbour_names_of(bench.store, ids).to_pylist() == bulk
        hidden = neighbour_names_of(bench.store, ids, sees=lambda dataset: False)
        assert hidden.to_pylist() == [None] * 4


def test_a_hub_linking_everyone_ties_no_one(tmp_path: Path) -> None:
    people = [entity(f"p{n}", "Person", name=f"Person {n}") for n in range(HUB_LIMIT + 1)]
    links = [entity(f"l{n}", "Documentation", document="d", entity=f"p{n}") for n in range(51)]
    with _bench(tmp_path, [entity("d", "Document", title="Register"), *people, *links]) as bench:
        assert neighbour_names(bench.store, ["p0", "p1"]).to_pylist() == [None, None]


def test_shared_owners_count_and_no_links_cost_nothing(tmp_path: Path) -> None:
    companies = [
        entity("c1", "Company", name="Nordwind Handel GmbH"),
        entity("c2", "Company", name="Nordwind Handels GmbH"),
        entity("o1", "Person", name="Eva Berg"),
        entity("o2", "Person", name="Eva Berg"),
        entity("own1", "Ownership", owner="o1", asset="c1"),
        entity("own2", "Ownership", owner="o2", asset="c2"),
    ]
    with _bench(tmp_path, companies) as bench:
        assert neighbour_names(bench.store, ["c1", "c2"]).to_pylist() == [["berg eva"]] * 2
    with _bench(tmp_path / "plain", companies[:2]) as bench:
        assert neighbour_names(bench.store, ["c1", "c2"]).to_pylist() == [None, None]


def test_explain_shows_the_shared_names(tmp_path: Path) -> None:
    with _bench(tmp_path, _patents()) as bench:
        bench.resolve()
        shared = bench.explain("p1", "p2")
        feature = next(f for f in shared.features if f.name == "relations")
        assert feature.label == "two names or more in common, a person of a rare name among them"
        namesake = bench.explain("p1", "p3")
        apart = next(f for f in namesake.features if f.name == "relations")
        assert apart.label == "different"
        assert shared.total_weight > namesake.total_weight


def test_a_documents_mentions_are_names_of_whoever_it_is_linked_to(tmp_path: Path) -> None:
    # PatentsView's shape: one mention per patent, the co-inventors only as names.
    found = [
        entity("d1", "Document", title="US-1", peopleMentioned=["John Smith", "Ann Lee"]),
        entity("d2", "Document", title="US-2", peopleMentioned=["Ann Lee", "John Smith"]),
        entity("d2", "Document", companiesMentioned="Acme Robotics Inc"),
        entity("p1", "Person", name="John Smith"),
        entity("p2", "Person", name="John Smith"),
        entity("l1", "Documentation", document="d1", entity="p1"),
        entity("l2", "Documentation", document="d2", entity="p2"),
    ]
    with _bench(tmp_path, found) as bench:
        bulk = neighbour_names(bench.store, ["p1", "p2"]).to_pylist()
        # Their own name is not a neighbour.
        assert bulk == [["ann lee"], ["ann lee", "org:acme robotics"]]
        assert neighbour_names_of(bench.store, ["p1", "p2"]).to_pylist() == bulk
