"""What the sharing verbs return: this instance's key, a share's and an import's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ShareKey:
    """This instance's bundle signing key, for other instances to trust."""

    instance: str
    key_id: str
    fingerprint: str
    public_key: str  # PEM


@dataclass
class ShareReport:
    """What a share wrote: the bundle, what left and what stayed home."""

    path: Path
    recipient: str
    statements: int
    pins: int
    notes: int
    withheld: dict[str, Any] = field(default_factory=dict)
    files: int = 0  # original files packed


@dataclass
class ImportReport:
    """What an import wrote: the local case, its datasets, and what the sender withheld."""

    case_id: str
    instance: str
    fingerprint: str
    datasets: list[str]
    statements: int
    pins: int
    notes: int
    withheld: dict[str, Any] = field(default_factory=dict)
    files: int = 0  # original files kept here
