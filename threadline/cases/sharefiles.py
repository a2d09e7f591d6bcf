"""The contents of a shared case bundle, as bytes: what `share.write_bundle` zips.

Each statement keeps its full provenance (dataset, source file hash, row or page,
first and last seen, original value, language) and the markings of its collection;
each source file is described by name, hash, size and kind. Document entities travel
as their statements (file name, hash, type, extracted text): threadline reads
document files where they lie and keeps no copy of them, so no file bytes are packed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

import orjson

from threadline.cases.bundle import case_json, note_json, pin_json
from threadline.cases.case import Case
from threadline.cases.sharepolicy import Shared
from threadline.model.provenance import SourceInfo
from threadline.model.statement import StatementRow

Markings = Callable[[Iterable[str]], list[str]]


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
) -> dict[str, bytes]:
    """`case.json`, `statements.jsonl`, `sources.json` and `withheld.json`."""
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
    return {
        "case.json": orjson.dumps(case_doc, option=indent),
        "statements.jsonl": lines,
        "sources.json": orjson.dumps([source_json(s) for s in files], option=indent),
        "withheld.json": orjson.dumps(shared.report(), option=indent),
    }
