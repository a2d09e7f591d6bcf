"""Shared pieces of the audit tests: events, a key, and two checkpoint places."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.audit.checkpoint import CheckpointPlaces
from threadline.audit.event import ActionKind, AuditEvent
from threadline.audit.keys import Keyring


def make_event(i: int) -> AuditEvent:
    """A plausible consultation, different for every i, with a fixed time."""
    kinds = list(ActionKind)
    return AuditEvent(
        actor=f"user{i % 7}",
        kind=kinds[i % len(kinds)],
        action="entity",
        object_ids=(f"e{i}", f"e{i * 7 % 1000}"),
        case_id=f"case-{i % 11}",
        justification="checking payments",
        request_id=f"req-{i}",
        time=f"2026-01-01T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}.000000Z",
    )


@pytest.fixture
def keyring(tmp_path: Path) -> Keyring:
    return Keyring(tmp_path / "data" / "audit" / "keys")


@pytest.fixture
def places(tmp_path: Path) -> CheckpointPlaces:
    return CheckpointPlaces(tmp_path / "data" / "audit" / "checkpoints", tmp_path / "other-disk")
