"""The leaks the authorization matrix found, each pinned down as a plain example.

Uma reads only some collections of the world; what she gets must come from those alone.
"""

from __future__ import annotations

import pytest

from threadline.access import AccessDenied, UnknownName
from threadline.app.context import Context
from threadline.app.resolution import JudgementConflict
from threadline.app.workbench import Workbench
from threadline.errors import NotFoundError


def reader(bench: Workbench, *datasets: str, level: str = "read", name: str = "uma") -> Workbench:
    """The world's workbench acting for an investigator who holds `level` on these."""
    access = bench.accountability.access
    if name not in {u.name for u in access.users()}:
        access.add_user(name, "investigator")
    for dataset in datasets:
        access.grant(name, dataset, level)
    return bench.acting(Context(actor=name))


def test_an_explanation_does_not_name_the_hidden_records_it_was_merged_through(
    bench: Workbench,
) -> None:
    # a-p1 (alpha) and d-p3 (delta) are merged through b-p1 (beta) and c-p1 (gamma).
    assert "b-p1" in bench.explain("a-p1", "d-p3").status
    uma = reader(bench, "alpha", "delta")
    explanation = uma.explain("a-p1", "d-p3")
    assert explanation.status == "merged, through records outside your reach"
    assert "b-p1" not in str(explanation) and "c-p1" not in str(explanation)
    # With the whole chain readable, the chain is shown.
    uma = reader(bench, "beta", "gamma")
    assert "b-p1" in uma.explain("a-p1", "d-p3").status


def test_a_conflicting_judgement_does_not_name_hidden_records(bench: Workbench) -> None:
    # a-p2 and c-p2 were judged not the same; a-p2 is merged with d-p1 (delta).
    uma = reader(bench, "alpha", "gamma", level="write")
    with pytest.raises(JudgementConflict) as refused:
        uma.judge("c-p2", "a-p2", "same")
    assert "outside your reach" in str(refused.value)
    uma = reader(bench, "delta", level="write")
    with pytest.raises(JudgementConflict, match="judgement"):
        uma.judge("c-p2", "a-p2", "same")


def test_an_entity_view_names_only_readable_source_files(bench: Workbench) -> None:
    view = reader(bench, "gamma").entity("c-p1")
    assert set(view.entity.source_names.values()) == {"gamma.ijson"}
    assert {f.source_name for f in view.entity.facts()} == {"gamma.ijson"}


def test_a_dataset_export_keeps_merged_entities_whose_canonical_record_is_elsewhere(
    bench: Workbench,
) -> None:
    # a-p1 is the canonical id of Ivan Petrov, merged from all four collections.
    for workbench in (bench, reader(bench, "gamma")):
        exported = {e["id"]: e for e in workbench.export("gamma")}
        ivan = exported["a-p1"]
        assert ivan["datasets"] == ["gamma"]
        assert ivan["referents"] == ["c-p1"]
        assert ivan["properties"]["notes"] == ["gammaword"]


def test_graph_nodes_show_only_the_readable_schema_and_caption(bench: Workbench) -> None:
    # Acme is a Company in alpha and a LegalEntity in delta, under the canonical a-c1.
    node = next(n for n in bench.graph_neighbours("a-c1").nodes if n.id == "a-c1")
    assert (node.schema, node.caption) == ("Company", "Acme Holdings")
    node = next(n for n in reader(bench, "delta").graph_neighbours("d-c1").nodes if n.id == "a-c1")
    assert (node.schema, node.caption, node.datasets) == (
        "LegalEntity",
        "Acme Holdings Ltd",
        ["delta"],
    )


def test_a_graph_export_names_the_nodes_it_disclosed(bench: Workbench) -> None:
    uma = reader(bench, "delta")
    text = "".join(uma.graph_export("cyjs"))
    event = list(bench.accountability.events())[-1]
    assert (event.action, event.actor) == ("graph.export", "uma")
    assert set(event.object_ids) == {"a-c1", "a-p1", "a-p2"}
    assert "Acme Holdings Ltd" in text and 'Acme Holdings"' not in text


def test_a_refused_token_call_names_the_user(bench: Workbench) -> None:
    token = bench.user_add("tom", "viewer").token
    tom = bench.acting(Context(token=token, case="no-such-case"))
    with pytest.raises(AccessDenied):
        tom.search("ivan")
    event = list(bench.accountability.events())[-1]
    assert (event.actor, event.case_id) == ("tom", "no-such-case")
    assert event.outcome.startswith("denied: ")


def test_a_call_failing_with_any_error_is_recorded(bench: Workbench) -> None:
    with pytest.raises(ValueError, match="link type"):
        bench.graph_neighbours("a-p1", types=["NoSuchLink"])
    event = list(bench.accountability.events())[-1]
    assert event.action == "graph.neighbours"
    assert event.outcome.startswith("failed: Unknown link type")


def test_a_hidden_record_id_does_not_lead_to_what_it_was_merged_with(bench: Workbench) -> None:
    # d-p1 (delta) is merged into a-p2 (alpha); a reader of alpha alone asks by d-p1.
    uma = reader(bench, "alpha")
    assert uma.entity("a-p2").members == ["a-p2"]
    for call in (uma.entity, uma.graph_neighbours):
        with pytest.raises(NotFoundError):
            call("d-p1")
    # The canonical id leads to the readable part even when its own record is hidden.
    vic = reader(bench, "delta", name="vic")
    assert vic.entity("a-p2").members == ["d-p1"]
    assert vic.entity("d-p1").entity.id == "a-p2"


def test_an_unknown_user_is_refused_and_recorded(bench: Workbench) -> None:
    with pytest.raises(UnknownName):
        bench.acting(Context(actor="mallory")).search("ivan")
    event = list(bench.accountability.events())[-1]
    assert (event.actor, event.action) == ("mallory", "search")
    assert event.outcome == "denied: unknown user 'mallory'"


def test_judgements_of_a_cluster_show_only_readable_pairs(bench: Workbench) -> None:
    # Ivan Petrov is one chain a-p1 = b-p1 = c-p1 = d-p3 across all four collections.
    everything = {(j.left, j.right) for j in bench.judgements("a-p1", cluster=True)}
    assert everything == {("a-p1", "b-p1"), ("b-p1", "c-p1"), ("c-p1", "d-p3")}
    uma = reader(bench, "alpha", "beta", "gamma")
    found = {(j.left, j.right) for j in uma.judgements("a-p1", cluster=True)}
    assert found == {("a-p1", "b-p1"), ("b-p1", "c-p1")}
    event = list(bench.accountability.events())[-1]
    assert sorted(event.object_ids) == ["a-p1", "b-p1", "c-p1"]
    # Without `cluster`, only the entity's own judgements.
    assert {(j.left, j.right) for j in uma.judgements("a-p1")} == {("a-p1", "b-p1")}
    # A record she cannot read does not lead to the judgements of its cluster.
    ivy = reader(bench, "alpha", "gamma", "delta", name="ivy")
    assert ivy.judgements("b-p1", cluster=True) == []
    assert {(j.left, j.right) for j in ivy.judgements("c-p1", cluster=True)} == {("c-p1", "d-p3")}
