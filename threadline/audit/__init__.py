"""The tamper-evident audit log: events, an RFC 6962 Merkle log, signed checkpoints, verify.

Nothing here is wired into the workbench yet; `threadline.audit` is a library the
accountability layer (users, access, cases) builds on.
"""

from __future__ import annotations

from threadline.audit.checkpoint import Checkpoint, CheckpointPlaces, CheckpointPolicy
from threadline.audit.checkpointer import Checkpointer
from threadline.audit.errors import AuditError, AuditWriteError
from threadline.audit.event import ActionKind, AuditEvent, utc_timestamp
from threadline.audit.keys import Keyring
from threadline.audit.log import AuditLog, LogEntry, MemoryAuditLog, TreeHead
from threadline.audit.redact import load_salt, redact
from threadline.audit.sql import SQLAuditLog, audit_url
from threadline.audit.verify import Problem, VerifyReport, verify, verify_checkpoints

__all__ = [
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
