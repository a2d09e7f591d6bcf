"""The contents of a shared case bundle, as bytes: what `share.write_bundle` zips.

Each statement keeps its full provenance (dataset, source file hash, row or page,
first and last seen, original value, language) and the markings of its collection;
each source file is described by name, hash, size and kind. Document entities travel
as their statements (file name, hash, type, extracted text), and with their original
file when this instance keeps it (`wanted_files` says which files are asked for).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from followthemoney import model

from threadline.cases.bundle import case_json, note_json, pin_json
from threadline.cases.case import Case
from threadline.cases.share import Member, original_name
from threadline.cases.sharepolicy import Shared
from threadline.model.provenance import SourceInfo
from threadline.model.statement import StatementRow

Markings = Callable[[Iterable[str]], list[str]]


@dataclass(frozen=True)
class WantedFile:
    """The original file of one shared document."""

    entity_id: str
    sha256: str  # the document's own file (its contentHash)
    root: str  # the top-level file its statements came from (may be the same)
    container: bool  # an archive or folder: its file holds members that were not shared


def wanted_files(rows: Iterable[StatementRow]) -> list[WantedFile]:
    """The files of the documents among the shared statements, one per content hash:
    each document's own file (an attachment's bytes, not its e-mail's), found by the
    `contentHash` statements that are shared. Archives and folders are marked as
    containers: sending one would send every member, shared or not."""
    found: dict[str, WantedFile] = {}
    for row in sorted(rows, key=lambda r: (r.entity_id, r.id)):
        if row.prop != "contentHash" or row.value in found:
            continue
        schema = model.get(row.schema)
        container = schema is not None and schema.is_a("Folder")
        found[row.value] = WantedFile(row.entity_id, row.value, row.source, container)
    return list(found.values())


def statement_json(row: StatementRow, markings: list[str]) -> dict[str, Any]:
    """One statement line: the row as stored (`source` is the file's sha256)."""
    return {**row._asdict(), "markings": markings}


def source_json(info: SourceInfo) -> dict[str, Any]:
    """One source file the shared statements came from."""
    return {
        "sha256": info.sha256,
        "name": info.name,
        "dataset": info.dataset,
        "size": info.size,
        "kind": info.kind,
        "ingested_at": info.ingested_at,
        "records": info.records,
    }


def bundle_files(
    case: Case,
    shared: Shared,
    sources: Iterable[SourceInfo],
    markings: Markings,
    members: Mapping[str, Collection[str]],
    originals: Mapping[str, Member] | None = None,
    withheld_files: Iterable[dict[str, str]] = (),
) -> dict[str, Member]:
    """`case.json`, `statements.jsonl`, `sources.json`, `withheld.json`, and the
    `originals` (by sha256) that go; `withheld_files` are those that stay."""
    used = {(row.source, row.dataset) for row in shared.rows}
    header = case_json(case)
    header.pop("members")  # who works on a case here is no business of the recipient
    case_doc = {
        "case": header,
        "pins": [
            {**pin_json(pin), "members": sorted(members.get(pin.entity_id) or [pin.entity_id])}
            for pin in shared.pins
        ],
        "notes": [note_json(note) for note in shared.notes],
    }
    rows = sorted(shared.rows, key=lambda r: (r.entity_id, r.prop, r.id))
    lines = b"".join(
        orjson.dumps(statement_json(row, markings([row.dataset]))) + b"\n" for row in rows
    )
    files = sorted(
        (s for s in sources if (s.sha256, s.dataset) in used), key=lambda s: (s.dataset, s.sha256)
    )
    indent = orjson.OPT_INDENT_2
    withheld = {**shared.report(), "files": list(withheld_files)}
    packed: dict[str, Member] = {
        "case.json": orjson.dumps(case_doc, option=indent),
        "statements.jsonl": lines,
        "sources.json": orjson.dumps([source_json(s) for s in files], option=indent),
        "withheld.json": orjson.dumps(withheld, option=indent),
    }
    for sha256, data in sorted((originals or {}).items()):
        packed[original_name(sha256)] = data
    return packed
