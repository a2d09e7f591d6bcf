"""What hostile files reach for: a canary file on the host, and a network address."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CANARY = "CANARY-4f1d9e-host-file-content-never-stored"


@dataclass(frozen=True)
class Target:
    """The canary file (outside every folder ingest reads) and the listener's URL."""

    canary: Path
    url: str  # http://127.0.0.1:PORT, a listener that counts connections

    @property
    def file_url(self) -> str:
        """The canary as a file: URL."""
        return self.canary.resolve().as_uri()

    @property
    def relative(self) -> str:
        """A "../" path from any member name to the canary (deep enough to reach /)."""
        return "../" * 24 + str(self.canary.resolve()).lstrip("/")
