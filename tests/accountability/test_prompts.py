"""Justification prompts: an operator's question per kind of action, which the caller
must answer; the refusal quotes it, and the event keeps the exact prompt and answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.accountability.world import copy_world, settings
from tests.cli.runner import cli, ok
from threadline.api.errors import status_of
from threadline.app.context import Context
from threadline.app.prompts import JustificationRequired
from threadline.app.workbench import Workbench
from threadline.audit import ActionKind, AuditEvent

PROMPTS = {
    "export": "Which request is this export for?",
    "bulk_export": "A bulk export: who approved it?",
    "erase": "Cite the erasure request.",
    "graph": "Why combine collections?",
}


@pytest.fixture
def prompted(template: Path, tmp_path: Path) -> Iterator[Workbench]:
    data = copy_world(template, tmp_path)
    with Workbench(settings(prompts=PROMPTS, bulk_export_min=5), data_dir=data) as bench:
        yield bench


def last(bench: Workbench, action: str) -> AuditEvent:
    return [e for e in bench.accountability.events() if e.action == action][-1]


def answering(bench: Workbench, answer: str) -> Workbench:
    return bench.acting(Context(justification=answer))


def test_an_unanswered_export_is_refused_quoting_the_prompt(prompted: Workbench) -> None:
    with pytest.raises(JustificationRequired) as refused:
        list(prompted.export("gamma"))
    assert PROMPTS["export"] in str(refused.value) and "--justification" in str(refused.value)
    assert status_of(refused.value) == 428
    denied = last(prompted, "export")
    assert denied.outcome.startswith("denied: ") and denied.prompt == PROMPTS["export"]
    assert list(answering(prompted, "request R-1").export("gamma"))
    done = last(prompted, "export")
    assert (done.outcome, done.prompt, done.justification) == (
        "ok",
        PROMPTS["export"],
        "request R-1",
    )


def test_a_bulk_export_asks_the_bulk_prompt(prompted: Workbench) -> None:
    with pytest.raises(JustificationRequired, match="who approved it"):
        list(prompted.export())
    assert list(answering(prompted, "approved by Ann").export())
    event = last(prompted, "export")
    assert len(event.object_ids) >= 5
    assert (event.prompt, event.justification) == (PROMPTS["bulk_export"], "approved by Ann")


def test_erasure_is_refused_before_anything_changes(prompted: Workbench) -> None:
    before = prompted.search("olga").total
    with pytest.raises(JustificationRequired, match="Cite the erasure request"):
        prompted.erase(entity_id="b-p2")
    assert prompted.search("olga").total == before >= 1
    assert [e.outcome for e in prompted.accountability.events() if e.action == "erase"] == [
        f"denied: {JustificationRequired('erase', 'erase', PROMPTS['erase'])}"
    ]
    answering(prompted, "request E-9").erase(entity_id="b-p2")
    erase = [e for e in prompted.accountability.events() if e.action == "erase"][1:]
    assert [(e.outcome, e.prompt, e.justification) for e in erase] == [
        ("started", PROMPTS["erase"], "request E-9"),
        ("ok", PROMPTS["erase"], "request E-9"),
    ]


def test_graph_calls_are_asked_only_when_they_combine_collections(
    prompted: Workbench,
) -> None:
    with pytest.raises(JustificationRequired, match="Why combine collections"):
        prompted.graph_neighbours("a-p1")  # Ivan: alpha, beta, gamma and delta
    assert last(prompted, "graph.neighbours").kind is ActionKind.COMBINATION
    answering(prompted, "mapping the network").graph_neighbours("a-p1")
    event = last(prompted, "graph.neighbours")
    assert (event.outcome, event.prompt) == ("ok", PROMPTS["graph"])
    prompted.search("ivan")  # a consultation: no prompt
    assert last(prompted, "search").prompt == ""


def test_unknown_prompt_kinds_are_refused_by_settings() -> None:
    with pytest.raises(ValidationError, match="peek"):
        settings(prompts={"peek": "Why?"})


def test_the_cli_answers_prompts_from_the_environment(template: Path, tmp_path: Path) -> None:
    data = copy_world(template, tmp_path)
    env = {"THREADLINE_PROMPTS": json.dumps({"export": PROMPTS["export"]})}
    refused = cli(data, "export", "--dataset", "gamma", env=env)
    assert refused.code != 0 and PROMPTS["export"] in refused.stderr
    ok(data, "--justification", "request R-2", "export", "--dataset", "gamma", env=env)
    with Workbench(settings(), data_dir=data) as bench:
        event = last(bench, "export")
    assert (event.prompt, event.justification) == (PROMPTS["export"], "request R-2")
