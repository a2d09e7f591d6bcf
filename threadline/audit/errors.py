"""The audit log's errors, under threadline's error tree."""

from __future__ import annotations

from threadline.errors import ThreadlineError


class AuditError(ThreadlineError):
    """The audit log, its keys or its checkpoints cannot be used as asked."""


class AuditWriteError(AuditError):
    """An event or checkpoint was not durably written; the action it records must fail."""
