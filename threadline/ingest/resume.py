"""Resuming an ingest: files already committed are skipped by what made them.

A records file (CSV/XLSX with a mapping or flags, FtM JSON lines) is done when the
store's sources table holds it for the dataset with the same *recipe*: a digest of
everything that decides its statements (its bytes, the dataset, the mapping query or
`--schema/--map/--key` flags, the phone country, whether ids are signed, and the
converter's and followthemoney's versions). The recipe is written with the file's
source row, last, in the transaction of its statements, so a file cut off half-way is
never marked done. A document file is done when this extractor did it
(`documents.already_done`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import followthemoney

from threadline.ingest.convert import EntityLineSpec, MappingSpec
from threadline.ingest.documents import DOCUMENT_KIND, already_done
from threadline.model.provenance import SourceInfo

if TYPE_CHECKING:
    from threadline.ingest.pipeline import Plan

# Bumped whenever converting records changes what it writes: files converted by an
# older version are read again, files done by this one are skipped.
CONVERTER_VERSION = 1
# Where a mapping query names its files: not part of the recipe, since the statements
# carry the file's hash, not its path (a copy elsewhere, or an upload, is the same).
_PATH_KEYS = ("csv_url", "csv_urls")


def recipe(plan: Plan) -> str | None:
    """The digest of how a records plan converts its files; None for documents."""
    parts: list[dict[str, Any]] = []
    for part in plan.parts:
        spec = part.spec
        if isinstance(spec, MappingSpec):
            query = {k: v for k, v in spec.query.items() if k not in _PATH_KEYS}
            settings: dict[str, Any] = {"query": query, "sign": spec.namespace}
            settings["country"] = spec.country
        elif isinstance(spec, EntityLineSpec):
            settings = {"sign": spec.namespace, "country": spec.country}
        else:
            return None
        parts.append({"sha256": part.source.sha256, **settings})
    described = {
        "converter": CONVERTER_VERSION,
        "followthemoney": followthemoney.__version__,
        "kind": plan.kind,
        "dataset": plan.dataset,
        "parts": parts,
    }
    data = json.dumps(_canonical(described), separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(data.encode()).hexdigest()


def _canonical(value: Any) -> Any:
    """A mapping query as plain, ordered JSON values, whatever YAML made of it: keys of
    any type (sorted by their text), integers of any size, other objects as text."""
    if isinstance(value, dict):
        items = sorted(((str(k), _canonical(v)) for k, v in value.items()), key=lambda i: i[0])
        return [[k, v] for k, v in items]
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


@dataclass
class Done:
    """What the store already holds, read once per ingest (a folder of many files
    does not read the sources table for each), and what this ingest adds to it."""

    documents: set[tuple[str, str]] = field(default_factory=set)  # (sha256, dataset)
    records: dict[tuple[str, str], str] = field(default_factory=dict)  # -> recipe

    @classmethod
    def of(cls, sources: Iterable[SourceInfo]) -> Done:
        """The files of `sources` that a re-run may skip."""
        sources = list(sources)
        records = {(s.sha256, s.dataset): s.recipe for s in sources if s.recipe is not None}
        return cls(already_done(sources), records)

    def covers(self, plan: Plan) -> bool:
        """Whether every file of the plan was committed just as the plan would write it."""
        if plan.kind == DOCUMENT_KIND:
            return (plan.sources[0].sha256, plan.dataset) in self.documents
        made = recipe(plan)
        return made is not None and all(
            self.records.get((s.sha256, plan.dataset)) == made for s in plan.sources
        )

    def note(self, plan: Plan) -> None:
        """Count the plan's files as done, so the same file twice in one run (a folder
        holding copies) is written once."""
        if plan.kind == DOCUMENT_KIND:
            self.documents.add((plan.sources[0].sha256, plan.dataset))
            return
        made = recipe(plan)
        if made is not None:
            self.records.update({(s.sha256, plan.dataset): made for s in plan.sources})
