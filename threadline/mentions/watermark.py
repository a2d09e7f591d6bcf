"""The watermark of mentions: which names each document dataset's texts were scanned for.

When records arrive, the documents already stored are scanned for the new names
only. What is new is told by the watermark, per document dataset `D` and records
dataset `R`: every name and identifier of `R` first seen before `since` was looked
for in `D`'s texts, and so were those of the first `ingests` ingests of `R` (the
count of ingests into `R` that were heard of, scanned or not). While the two counts
agree, the names of the next ingest into `R` are its records' statements first seen
since then; when they do not (a scan was turned off, refused or left to
`find-mentions`), the names of `R` first seen since are read again.

Times are the store's `first_seen` stamps (UTC, to the second). Names first seen in
the very second of `since` that were looked for are kept by statement id (`seen`),
so an ingest in the same second as the last scan is still told apart from it. Here it
is data only: the workbench reads and writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VERSION = 1


class WatermarkError(ValueError):
    """A watermark that cannot be read: it is not the shape this version writes."""


@dataclass(frozen=True)
class Scanned:
    """How far `D`'s texts were scanned for `R`'s names."""

    since: str  # names first seen before this were looked for
    ingests: int  # ... and those of `R`'s first `ingests` ingests
    seen: frozenset[str] = frozenset()  # ... and these, first seen at `since`

    def is_new(self, statement_id: str, first_seen: str) -> bool:
        """Whether a name or identifier stated so was not yet looked for."""
        return first_seen > self.since or (
            first_seen == self.since and statement_id not in self.seen
        )


@dataclass
class Watermark:
    """Every document dataset's scans, and every records dataset's ingests, of one store."""

    store_id: str
    ingests: dict[str, int] = field(default_factory=dict)
    scanned: dict[str, dict[str, Scanned]] = field(default_factory=dict)

    def heard(self, records: str) -> int:
        """One more ingest into `records`; returns how many there were before it."""
        before = self.ingests.get(records, 0)
        self.ingests[records] = before + 1
        return before

    def get(self, documents: str, records: str) -> Scanned | None:
        """How far `documents` was scanned for the names of `records`, if at all."""
        return self.scanned.get(documents, {}).get(records)

    def mark(
        self,
        documents: str,
        records: str,
        since: str,
        ingests: int | None = None,
        seen: frozenset[str] = frozenset(),
    ) -> None:
        """`documents` was scanned for every name of `records` first seen before
        `since` or stated by `seen` (statement ids first seen at `since`), and for
        those of its first `ingests` ingests (all heard of, if None)."""
        count = self.ingests.get(records, 0) if ingests is None else ingests
        old = self.get(documents, records)
        if old is not None and old.since == since:
            seen |= old.seen
        self.scanned.setdefault(documents, {})[records] = Scanned(since, count, seen)

    def to_json(self) -> dict[str, Any]:
        """As stored: plain JSON."""
        return {
            "version": VERSION,
            "store_id": self.store_id,
            "ingests": dict(sorted(self.ingests.items())),
            "scanned": {
                d: {
                    r: {"since": s.since, "ingests": s.ingests, "seen": sorted(s.seen)}
                    for r, s in sorted(rs.items())
                }
                for d, rs in sorted(self.scanned.items())
            },
        }

    @classmethod
    def from_json(cls, data: Any) -> Watermark:
        """Read back what `to_json` wrote; `WatermarkError` names what is wrong."""
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise WatermarkError(f"version: expected {VERSION}")
        store_id, ingests, scanned = data.get("store_id"), data.get("ingests"), data.get("scanned")
        if not isinstance(store_id, str):
            raise WatermarkError("store_id: expected text")
        if not isinstance(ingests, dict) or not all(
            isinstance(k, str) and isinstance(v, int) for k, v in ingests.items()
        ):
            raise WatermarkError("ingests: expected a count per dataset")
        if not isinstance(scanned, dict):
            raise WatermarkError("scanned: expected an object per document dataset")
        found = cls(store_id, dict(ingests))
        for documents, records in scanned.items():
            if not isinstance(records, dict):
                raise WatermarkError(f"scanned.{documents}: expected an object per dataset")
            for name, mark in records.items():
                seen = mark.get("seen", []) if isinstance(mark, dict) else None
                if not (
                    isinstance(mark, dict)
                    and isinstance(mark.get("since"), str)
                    and isinstance(mark.get("ingests"), int)
                    and isinstance(seen, list)
                    and all(isinstance(i, str) for i in seen)
                ):
                    where = f"scanned.{documents}.{name}"
                    raise WatermarkError(f"{where}: expected since, ingests and seen")
                found.mark(documents, name, mark["since"], mark["ingests"], frozenset(seen))
        return found
