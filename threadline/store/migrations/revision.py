"""A revision of the schema as threadline shows it (`threadline db history`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Revision:
    """One revision of the schema: its id, the one it follows, and what it does."""

    revision: str
    down_revision: str | None
    doc: str
