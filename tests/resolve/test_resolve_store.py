"""Resolution against a real store: merges, judgements, undo, incremental runs, learning."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import entity, write_entities
from tests.resolve.conftest import population, truth
from threadline.app.resolution import JudgementConflict
from threadline.app.workbench import Workbench
from threadline.errors import NotFoundError, ThreadlineError


@pytest.fixture
def resolved(tmp_path: Path) -> Workbench:
    files = population(tmp_path / "src")
    bench = Workbench(data_dir=tmp_path / "data")
    for name, path in files.items():
        bench.ingest([path], name)
    bench.resolve()
    return bench


def _clusters(bench: Workbench) -> dict[str, str]:
    return bench.store.judgements.canonical_map()


def test_resolve_merges_the_same_people_and_no_others(resolved: Workbench) -> None:
    mapping = _clusters(resolved)
    assert mapping, "nothing was merged"
    groups: dict[str, set[str]] = {}
    for member, head in mapping.items():
        groups.setdefault(head, set()).add(member)
    wrong = [g for g in groups.values() if len({truth(m) for m in g}) > 1]
    assert wrong == []
    # Most people seen in two or three datasets are found.
    ids = [e["id"] for e in resolved.export()]
    persons: dict[str, int] = {}
    for entity_id in [*mapping, *ids]:
        persons[truth(entity_id)] = persons.get(truth(entity_id), 0)
    assert len(groups) > 100


def test_entity_by_member_id_shows_the_merged_entity(resolved: Workbench) -> None:
    member, head = next(iter(sorted(_clusters(resolved).items())))
    view = resolved.entity(member)
    assert view.entity.id == head
    assert member in view.members and len(view.members) >= 2
    assert {f.statement_id for f in view.entity.facts()}
    exported = {e["id"]: e for e in resolved.export()}
    assert head in exported
    assert member == head or member not in exported
    assert sorted(exported[head]["referents"]) == sorted(m for m in view.members if m != head)


def test_search_shows_merged_entities_once(resolved: Workbench) -> None:
    _member, head = next(iter(sorted(_clusters(resolved).items())))
    caption = resolved.entity(head).entity.caption
    hits = resolved.search(caption, limit=50).hits
    ids = [h.id for h in hits]
    assert head in ids
    assert not [m for m in resolved.entity(head).members if m != head and m in ids]


def test_judging_an_unknown_id_is_a_clear_error(resolved: Workbench) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        resolved.judge("a-1", "nope", "same")


def test_contradictory_judgement_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    people = [entity(f"p{i}", "Person", name=f"Person {i}") for i in range(3)]
    bench = Workbench(data_dir=tmp_path / "d")
    bench.ingest([write_entities(tmp_path / "p.json", people)], "x")
    first = bench.judge("p0", "p1", "same")
    bench.judge("p1", "p2", "same")
    before = (bench.judgements(), _clusters(bench))
    with pytest.raises(JudgementConflict) as caught:
        bench.judge("p0", "p2", "not-same")
    assert first.id in str(caught.value)
    assert (bench.judgements(), _clusters(bench)) == before


def test_not_same_holds_across_transitive_chains(tmp_path: Path) -> None:
    people = [entity(f"p{i}", "Person", name=f"Person {i}") for i in range(4)]
    bench = Workbench(data_dir=tmp_path / "d")
    bench.ingest([write_entities(tmp_path / "p.json", people)], "x")
    wall = bench.judge("p0", "p3", "not-same")
    bench.judge("p0", "p1", "same")
    bench.judge("p2", "p3", "same")
    with pytest.raises(JudgementConflict, match=wall.id):
        bench.judge("p1", "p2", "same")
    assert _clusters(bench) == {"p0": "p0", "p1": "p0", "p2": "p2", "p3": "p2"}


def test_user_not_same_splits_an_algorithmic_merge(resolved: Workbench) -> None:
    member, head = next((m, h) for m, h in sorted(_clusters(resolved).items()) if m != h)
    resolved.judge(head, member, "not-same")
    mapping = _clusters(resolved)
    assert mapping.get(member, member) != mapping.get(head, head)
    resolved.resolve()
    mapping = _clusters(resolved)
    assert mapping.get(member, member) != mapping.get(head, head)


def test_incremental_run_equals_a_full_run(tmp_path: Path) -> None:
    files = population(tmp_path / "src", people=250, seed=11)
    bench = Workbench(data_dir=tmp_path / "data")
    bench.ingest([files["a"]], "a")
    bench.ingest([files["b"]], "b")
    first = bench.resolve()
    assert not first.incremental and first.trained
    bench.ingest([files["c"]], "c")
    step = bench.resolve()
    assert step.incremental and not step.trained
    assert step.new_records == sum(1 for _ in bench.store.iter_entities(dataset="c"))
    incremental = (_clusters(bench), [(i.left, i.right) for i in bench.review(10_000)])
    full = bench.resolve(full=True)
    assert not full.incremental
    assert full.compared == step.compared
    assert (_clusters(bench), [(i.left, i.right) for i in bench.review(10_000)]) == incremental


def test_a_new_link_makes_its_ends_new_to_an_incremental_run(
    resolved: Workbench, tmp_path: Path
) -> None:
    # An Ownership adds nothing to the owner's or the asset's own statements, but it
    # changes their neighbours' names (the `relations` evidence): both are compared
    # again; records no link touched are not.
    people = [rows[0].entity_id for rows in resolved.store.iter_entities(dataset="a")]
    owner, other = people[0], people[1]
    assert resolved.resolve().new_records == 0
    edge = [entity("own-new", "Ownership", owner=owner, asset=other)]
    resolved.ingest([write_entities(tmp_path / "edge.ijson", edge)], "links")
    step = resolved.resolve()
    assert step.incremental and step.new_records == 2


def test_judgements_change_the_scores(resolved: Workbench) -> None:
    # Pairs of different people who share a family name: judged not the same, they
    # teach the model that a shared family name says less than it thought.
    by_last: dict[str, list[str]] = {}
    for e in resolved.export():
        by_last.setdefault(e["properties"]["lastName"][0], []).append(e["id"])
    pairs = [
        (ids[i], ids[i + 1])
        for ids in by_last.values()
        for i in range(len(ids) - 1)
        if truth(ids[i]) != truth(ids[i + 1])
    ]
    taught, held_out = pairs[:25], pairs[25:45]
    assert len(held_out) == 20
    before = [resolved.explain(a, b).total_weight for a, b in held_out]
    for a, b in taught:
        resolved.judge(a, b, "not-same")
    resolved.resolve()
    after = [resolved.explain(a, b).total_weight for a, b in held_out]
    assert sum(after) < sum(before)
    history = resolved.explain(*held_out[0]).model_history
    assert any("25 not-same" in line for line in history)


def test_explain_names_features_blocking_and_decision(resolved: Workbench) -> None:
    member, head = next((m, h) for m, h in sorted(_clusters(resolved).items()) if m != h)
    e = resolved.explain(head, member)
    assert e.decision == "merge"
    assert e.blocking
    assert e.status.startswith("merged")
    names = {f.name for f in e.features}
    assert {"first_name", "last_name", "birth_date", "identifier", "address"} <= names
    assert abs(e.total_weight - (e.prior_weight + sum(f.weight for f in e.features))) < 0.01


def test_bad_verdicts_and_schemata_are_clear_errors(resolved: Workbench) -> None:
    with pytest.raises(ThreadlineError, match="Unknown verdict 'maybe'"):
        resolved.judge("a-1", "b-1", "maybe")
    with pytest.raises(ThreadlineError, match="against itself"):
        resolved.judge("a-1", "a-1", "same")


def test_one_person_has_one_birth_date(resolved: Workbench, tmp_path: Path) -> None:
    # Two Dieter Webers born decades apart; one record of each has no birth date, and
    # those two share an e-mail address and a phone: a strong but wrong link.
    def weber(entity_id: str, born: str | None, email: str) -> dict[str, object]:
        props = {"firstName": "Dieter", "lastName": "Weberling", "name": "Dieter Weberling"}
        props |= {"birthDate": born} if born else {"address": "Lindenallee 14, 10115 Berlin"}
        return entity(entity_id, "Person", email=email, **props)

    people = [
        weber("w-old-1", "1952-05-17", "dw@example.org"),
        weber("w-old-2", None, "weberling.dieter@example.org"),
        weber("w-young-1", None, "weberling.dieter@example.org"),
        weber("w-young-2", "1989-08-13", "d.w@example.net"),
    ]
    resolved.ingest([write_entities(tmp_path / "webers.json", people)], "webers")
    resolved.judge("w-old-1", "w-old-2", "same")
    resolved.judge("w-young-1", "w-young-2", "same")
    resolved.resolve()
    history = resolved.explain("w-old-1", "w-old-2").model_history
    assert any("birth dates firm" in line for line in history)
    clusters = _clusters(resolved)
    assert clusters["w-old-2"] != clusters["w-young-1"]
    explained = resolved.explain("w-old-2", "w-young-1")
    assert explained.decision == "merge"
    assert explained.status == "not merged: the full birth dates in their two clusters conflict"


def test_judgements_of_a_whole_cluster(resolved: Workbench) -> None:
    groups: dict[str, set[str]] = {}
    for member, head in _clusters(resolved).items():
        groups.setdefault(head, set()).add(member)
    members = next(sorted(g) for g in groups.values() if len(g) >= 3)
    everything = resolved.judgements()
    expected = [j.id for j in everything if {j.left, j.right} & set(members)]
    for member in members:
        whole = resolved.judgements(member, cluster=True)
        assert [j.id for j in whole] == expected
        alone = resolved.judgements(member)
        assert [j.id for j in alone] == [j.id for j in everything if member in (j.left, j.right)]
    # Some member is not in every judgement of its cluster: `cluster` adds the rest.
    assert any(len(resolved.judgements(m)) < len(expected) for m in members)


def test_a_run_over_some_datasets_keeps_the_others_review_queue(
    resolved: Workbench, tmp_path: Path
) -> None:
    before = {(i.left, i.right) for i in resolved.review(limit=10_000)}
    assert before, "the population leaves pairs to review"
    late = write_entities(
        tmp_path / "late.ijson",
        [entity(f"late-{n}", "Person", name="Longa Worka", birthDate="1970-02-03") for n in (1, 2)],
    )
    resolved.ingest([late], "late")
    report = resolved.resolve(["late"])
    assert report.records == 2
    after = {(i.left, i.right) for i in resolved.review(limit=10_000)}
    assert before <= after
