"""The sharing policy as a pure function: nothing marked beyond what the recipient may
hold leaves, `no-share` never does, and everything is either shared or counted."""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import given
from hypothesis import strategies as st

from threadline.cases.note import Note
from threadline.cases.pin import Pin
from threadline.cases.sharepolicy import NO_SHARE, apply_policy, refusal
from threadline.model.statement import StatementRow

MARKINGS = st.sampled_from(["confidential", "secret", NO_SHARE])
DATASETS = ["d0", "d1", "d2", "d3"]


def row(entity_id: str, dataset: str, n: int) -> StatementRow:
    return StatementRow(
        entity_id, f"s-{entity_id}-{dataset}-{n}", "Person", "name", "name", f"v{n}",
        None, None, dataset, "sha", n, "2026", "2026",
    )  # fmt: skip


@given(
    marked=st.fixed_dictionaries({d: st.frozensets(MARKINGS, max_size=2) for d in DATASETS}),
    allowed=st.frozensets(MARKINGS),
    placed=st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(DATASETS)), max_size=12),
)
def test_only_what_the_recipient_may_hold_leaves(
    marked: dict[str, frozenset[str]], allowed: frozenset[str], placed: list[tuple[str, str]]
) -> None:
    rows = [row(e, d, n) for n, (e, d) in enumerate(placed)]

    def markings(datasets: Iterable[str]) -> list[str]:
        return sorted({m for d in datasets for m in marked[d]})

    pins = [Pin("c", e, "u", "t") for e in "abc"]
    notes = [Note(f"n{r.id}", "c", "u", "t", "x", (r.id,)) for r in rows] + [
        Note(f"e{e}", "c", "u", "t", "x", (), (e,)) for e in "abc"
    ]
    shared = apply_policy(rows, pins, notes, markings, allowed)
    for kept in shared.rows:
        assert NO_SHARE not in marked[kept.dataset]
        assert marked[kept.dataset] <= allowed
    assert len(shared.rows) + sum(shared.withheld_statements.values()) == len(rows)
    assert len(shared.pins) + len(shared.withheld_pins) == len(pins)
    assert len(shared.notes) + len(shared.withheld_notes) == len(notes)
    sent = {r.id for r in shared.rows}
    for note in shared.notes:
        assert set(note.statements) <= sent
    report = str(shared.report())
    assert not any(f"'v{n}'" in report for n in range(len(rows)))  # never a value


def test_no_share_goes_to_nobody() -> None:
    assert refusal([NO_SHARE], {NO_SHARE}) == "marking no-share"
    assert refusal(["secret"], {"confidential"}) == "marking secret not allowed for the recipient"
    assert refusal([], set()) is None
