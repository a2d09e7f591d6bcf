"""Where a statement came from: a source file, identified by its content hash."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceInfo:
    """One ingested file: its sha256 is the provenance key every statement carries."""

    sha256: str
    name: str
    dataset: str
    size: int
    kind: str
    ingested_at: str
    records: int = 0
    # What made a records file's statements (`ingest.resume`): a re-run with the same
    # recipe skips the file. None for documents (their `kind` names the extractor).
    recipe: str | None = None
