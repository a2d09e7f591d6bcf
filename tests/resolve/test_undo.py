"""Merge then undo restores exactly the previous entities (Hypothesis)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import entity, write_entities
from threadline.app.workbench import Workbench
from threadline.errors import ThreadlineError

IDS = [f"e{i}" for i in range(6)]
pairs = st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] != p[1])
steps = st.lists(st.tuples(pairs, st.sampled_from(["same", "not-same", "unsure"])), max_size=8)


def _snapshot(bench: Workbench) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    views = {}
    for entity_id in IDS:
        view = bench.entity(entity_id)
        values = tuple(sorted(f"{f.prop}={f.value}" for f in view.entity.facts()))
        views[entity_id] = (view.entity.id, tuple(view.members), values)
    return views


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=steps, extra=st.lists(pairs, min_size=1, max_size=4))
def test_merge_then_undo_restores_the_entities(
    tmp_path_factory: object,
    history: list[tuple[tuple[str, str], str]],
    extra: list[tuple[str, str]],
) -> None:
    folder = tmp_path_factory.mktemp("undo")  # type: ignore[attr-defined]
    people = [
        entity(i, "Person", name=f"Person {i}", birthDate=f"19{n + 50}") for n, i in enumerate(IDS)
    ]
    with Workbench(data_dir=Path(folder) / "d") as bench:
        bench.ingest([write_entities(Path(folder) / "p.json", people)], "x")
        for (a, b), verdict in history:
            with contextlib.suppress(ThreadlineError):  # refused: contradicts an earlier one
                bench.judge(a, b, verdict)
        before = _snapshot(bench)
        hits_before = {h.id for h in bench.search("Person", limit=50).hits}
        made = []
        for a, b in extra:
            with contextlib.suppress(ThreadlineError):
                made.append(bench.judge(a, b, "same"))
        for judgement in reversed(made):
            bench.undo(judgement.id)
        assert _snapshot(bench) == before
        assert {h.id for h in bench.search("Person", limit=50).hits} == hits_before
