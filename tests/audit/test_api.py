"""The exact public surface of threadline.audit, so a change to it is deliberate."""

from __future__ import annotations

import threadline.audit


def test_public_surface() -> None:
    assert sorted(threadline.audit.__all__) == [
        "ActionKind",
        "AuditError",
        "AuditEvent",
        "AuditLog",
        "AuditWriteError",
        "Checkpoint",
        "CheckpointPlaces",
        "CheckpointPolicy",
        "Checkpointer",
        "Keyring",
        "LogEntry",
        "MemoryAuditLog",
        "Problem",
        "SQLAuditLog",
        "TreeHead",
        "VerifyReport",
        "audit_url",
        "load_salt",
        "redact",
        "utc_timestamp",
        "verify",
        "verify_checkpoints",
    ]
    for name in threadline.audit.__all__:
        assert getattr(threadline.audit, name).__doc__, name
