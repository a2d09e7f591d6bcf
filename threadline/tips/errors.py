"""The tip layer's errors: a tip that cannot be taken or triaged as asked, an unknown one."""

from __future__ import annotations

from threadline.errors import NotFoundError, ThreadlineError


class TipError(ThreadlineError):
    """A tip that cannot be taken, rejected or opened as asked; the message says why."""


class TipNotFound(NotFoundError):
    """No tip of that id."""
