"""Audit events: validation, canonical bytes (golden), and round trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadline.audit.event import ActionKind, AuditEvent, utc_timestamp

GOLDEN = (
    b'{"action":"search","actor":"ana","case_id":"case-7",'
    b'"justification":"Pr\xc3\xbcfung der Zahlungen","kind":"consultation",'
    b'"object_ids":["p-2","p-1"],"outcome":"ok","purpose":null,"request_id":"req-1",'
    b'"time":"2026-03-01T12:00:00.123456Z","v":1}'
)


def _event(**changes: object) -> AuditEvent:
    values: dict[str, object] = {
        "actor": "ana",
        "kind": ActionKind.CONSULTATION,
        "action": "search",
        "object_ids": ("p-2", "p-1"),
        "case_id": "case-7",
        "justification": "Prüfung der Zahlungen",
        "request_id": "req-1",
        "time": "2026-03-01T12:00:00.123456Z",
    }
    values.update(changes)
    return AuditEvent(**values)  # type: ignore[arg-type]  # the test feeds loose values on purpose


def test_canonical_bytes_are_golden() -> None:
    assert _event().to_bytes() == GOLDEN
    assert AuditEvent.from_bytes(GOLDEN) == _event()


def test_object_id_order_is_kept_and_lists_become_tuples() -> None:
    event = _event(object_ids=["b", "a"])
    assert event.object_ids == ("b", "a")
    assert event.to_bytes() == _event().to_bytes().replace(b'"p-2","p-1"', b'"b","a"')


def test_kind_from_string_and_the_six_kinds() -> None:
    assert _event(kind="erasure").kind is ActionKind.ERASURE
    assert [k.value for k in ActionKind] == [
        "collection",
        "alteration",
        "consultation",
        "disclosure",
        "combination",
        "erasure",
    ]
    with pytest.raises(ValueError):
        _event(kind="peeking")


@pytest.mark.parametrize(
    "changes",
    [{"actor": ""}, {"action": ""}, {"time": "2026-03-01T12:00:00Z"}, {"time": "yesterday"}],
)
def test_malformed_events_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        _event(**changes)


def test_timestamps_are_utc_with_microseconds() -> None:
    cet = timezone(timedelta(hours=1))
    assert (
        utc_timestamp(datetime(2026, 1, 1, 13, 0, 0, 5, tzinfo=cet))
        == "2026-01-01T12:00:00.000005Z"
    )
    assert AuditEvent("a", ActionKind.COLLECTION, "ingest").time.endswith("Z")
    with pytest.raises(ValueError):
        utc_timestamp(datetime(2026, 1, 1))  # naive: which zone? refuse to guess
    assert utc_timestamp(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00.000000Z"


def test_unknown_format_version_is_refused() -> None:
    with pytest.raises(ValueError):
        AuditEvent.from_bytes(GOLDEN.replace(b'"v":1', b'"v":2'))


text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20)


@given(
    actor=text.filter(bool),
    kind=st.sampled_from(ActionKind),
    action=text.filter(bool),
    ids=st.lists(text, max_size=5),
    case_id=st.none() | text,
    purpose=st.none() | text,
    justification=text,
    outcome=text,
)
def test_round_trip_is_byte_stable(
    actor: str,
    kind: ActionKind,
    action: str,
    ids: list[str],
    case_id: str | None,
    purpose: str | None,
    justification: str,
    outcome: str,
) -> None:
    event = AuditEvent(
        actor, kind, action, tuple(ids), case_id, purpose, justification, outcome, "r1"
    )
    data = event.to_bytes()
    again = AuditEvent.from_bytes(data)
    assert again == event
    assert again.to_bytes() == data
