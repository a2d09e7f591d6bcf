"""The error of a backup or restore that cannot go ahead."""

from __future__ import annotations

from threadline.errors import ThreadlineError


class BackupError(ThreadlineError):
    """A backup or restore refused or failed; nothing was put in place."""
