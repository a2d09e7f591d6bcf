"""The errors of schema versioning, with the database and the revisions they concern."""

from __future__ import annotations

from threadline.errors import ThreadlineError


class SchemaError(ThreadlineError):
    """A database whose schema this threadline cannot use or bring up to date: written
    by a newer threadline, or with tables that differ from the ones it expects."""
