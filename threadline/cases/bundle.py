"""The evidence bundle of a case: its notes, every statement they cite, and the sources.

The bundle is plain JSON-able data; `threadline.cases.report` renders the same data as
one self-contained HTML page, so the two can never tell different stories. Statements
outside `scope` are withheld, and a citation whose statement is absent (withheld or
erased) is listed as unavailable rather than silently dropped. Markings travel with
the data: each statement, entity and pin lists the markings of its datasets, and the
bundle lists them all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from threadline.audit.event import utc_timestamp
from threadline.cases.case import ALL_SOURCES, Case
from threadline.cases.citation import DOCUMENT, ENTITY, STATEMENT
from threadline.cases.note import Note
from threadline.cases.pin import Pin
from threadline.cases.timeline import TimelineItem
from threadline.model.provenance import SourceInfo
from threadline.model.statement import StatementRow

FORMAT = "threadline.evidence/1"
# The markings of some datasets (the workbench passes the exporter's scope's).
Markings = Callable[[Iterable[str]], list[str]]


def unmarked(datasets: Iterable[str]) -> list[str]:
    """No markings (for bundles built outside a workbench)."""
    return []


def anchor(kind: str, target: str) -> str:
    """The HTML id of a cited statement, entity or document page: safe whatever
    characters the id has."""
    prefix = {STATEMENT: "s", DOCUMENT: "d"}.get(kind, "e")
    return f"{prefix}-{hashlib.sha256(target.encode('utf-8')).hexdigest()[:20]}"


def _source(info: SourceInfo | None) -> dict[str, Any] | None:
    if info is None:
        return None
    return {
        "sha256": info.sha256,
        "name": info.name,
        "kind": info.kind,
        "size": info.size,
        "ingested_at": info.ingested_at,
    }


def _statement(row: StatementRow, info: SourceInfo | None, markings: Markings) -> dict[str, Any]:
    data: dict[str, Any] = row._asdict()
    data.pop("source")
    data["anchor"] = anchor(STATEMENT, row.id)
    data["source"] = _source(info) or {"sha256": row.source, "name": None}
    data["markings"] = markings([row.dataset])
    return data


def case_json(case: Case) -> dict[str, Any]:
    """A case's header as the bundle (and `case show --json`) gives it."""
    return {
        "id": case.id,
        "name": case.name,
        "purpose": case.purpose,
        "created_by": case.created_by,
        "created_at": case.created_at,
        "sources": ALL_SOURCES if case.all_sources else sorted(case.sources),
        "members": [
            {"user": user, "role": role.label} for user, role in sorted(case.members.items())
        ],
    }


def pin_json(pin: Pin) -> dict[str, Any]:
    """A pinned entity."""
    return {
        "entity_id": pin.entity_id,
        "by": pin.pinned_by,
        "at": pin.pinned_at,
        "comment": pin.comment,
    }


def note_json(note: Note) -> dict[str, Any]:
    """A note with the ids it cites."""
    return {
        "id": note.id,
        "author": note.author,
        "created_at": note.created_at,
        "text": note.text,
        "statements": list(note.statements),
        "entities": list(note.entities),
        "documents": list(note.documents),
    }


def _file_name(files: dict[tuple[str, str], SourceInfo], sha256: str, dataset: str) -> str | None:
    found = files.get((sha256, dataset))
    return found.name if found is not None else None


def timeline_json(item: TimelineItem) -> dict[str, Any]:
    """One dated fact of the timeline: when (a period has an end), what, in words,
    and the statements and source row that say so."""
    return {
        "date": item.date,
        "end": item.end,
        "label": item.label,
        "schema": item.schema,
        "entity_id": item.entity_id,
        "prop": item.prop,
        "value": item.value,
        "statement_id": item.statement_id,
        "end_statement_id": item.end_statement_id,
        "dataset": item.dataset,
        "source": item.source,
        "file": item.file or None,
        "location": item.location,
    }


def build_bundle(
    case: Case,
    notes: Sequence[Note],
    statements: Iterable[StatementRow],
    sources: Iterable[SourceInfo],
    *,
    generated_by: str,
    pins: Sequence[Pin] = (),
    timeline: Sequence[TimelineItem] = (),
    scope: Collection[str] | None = None,
    generated_at: str | None = None,
    markings: Markings = unmarked,
    charts: Sequence[dict[str, Any]] = (),
    pages: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The bundle as a JSON-able dict.

    `statements` should hold at least those the notes cite, plus the statements of
    cited and pinned entities if those should be shown; `scope` (the exporter's case
    scope) withholds statements from other collections; `markings` gives the
    markings of datasets; `charts` are the case's saved charts (`chartimage.chart_json`);
    `pages` the document pages the notes cite (`docpage.page_json`: the excerpt and
    the file's name and sha256, or only the state of one the exporter cannot read).
    """
    files = {(s.sha256, s.dataset): s for s in sources}
    cited = [sid for note in notes for sid in note.statements]
    entity_ids = dict.fromkeys(
        [e for note in notes for e in note.entities] + [p.entity_id for p in pins]
    )
    # Only evidence leaves: statements cited, dated in the timeline, or of an entity
    # the notes cite or the case pins; whatever else the caller passed stays home.
    wanted = set(cited).union(sid for item in timeline for sid in item.statement_ids)
    rows = {
        row.id: row
        for row in statements
        if (row.id in wanted or row.entity_id in entity_ids)
        and (scope is None or row.dataset in scope)
    }
    datasets: dict[str, set[str]] = {}
    for row in rows.values():
        datasets.setdefault(row.entity_id, set()).add(row.dataset)
    return {
        "format": FORMAT,
        "generated_by": generated_by,
        "generated_at": generated_at or utc_timestamp(),
        "case": case_json(case),
        "markings": markings({row.dataset for row in rows.values()}),
        "notes": [note_json(n) for n in notes],
        "statements": [
            _statement(row, files.get((row.source, row.dataset)), markings)
            for row in sorted(rows.values(), key=lambda r: (r.entity_id, r.prop, r.id))
        ],
        "unavailable": [
            {"id": sid, "anchor": anchor(STATEMENT, sid)} for sid in sorted(set(cited) - set(rows))
        ],
        "entities": [
            {
                "id": entity_id,
                "anchor": anchor(ENTITY, entity_id),
                "statements": sorted(r.id for r in rows.values() if r.entity_id == entity_id),
                "markings": markings(datasets.get(entity_id, ())),
            }
            for entity_id in entity_ids
        ],
        "pins": [
            {**pin_json(p), "markings": markings(datasets.get(p.entity_id, ()))} for p in pins
        ],
        "timeline": [
            {
                **timeline_json(item),
                "file": item.file or _file_name(files, item.source, item.dataset),
            }
            for item in timeline
            if scope is None or item.dataset in scope
        ],
        "charts": list(charts),
        "pages": list(pages),
    }
