"""What importing a shared case writes, worked out from a checked bundle with no I/O.

The sending instance is recorded twice: each of its collections lands in a local
dataset named `<instance>.<case>.<dataset>`, marked `origin-<instance>` besides the
markings it carried, and the imported case (its id derived from the sender's key and
case id, so a second import finds it) names the instance. Provenance stays as sent:
entity ids, values, source file hashes, rows or pages, first and last seen. Statement
ids are re-derived for the local dataset (followthemoney keys them by dataset) and the
notes' citations are rewritten to match.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from threadline.access.records import check_collection, check_marking
from threadline.audit.keys import key_id
from threadline.cases.case import Case, CaseRole
from threadline.cases.citation import PATTERN, STATEMENT, parse_citations
from threadline.cases.note import MAX_TEXT, Note
from threadline.cases.pin import Pin
from threadline.cases.share import Bundle, BundleError
from threadline.cases.sharerows import statement_row, text_field
from threadline.errors import ThreadlineError
from threadline.model.provenance import SourceInfo
from threadline.model.statement import StatementRow

_SLUG = re.compile(r"[^a-z0-9-]+")
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def slug(name: str) -> str:
    """An instance name as a dataset and marking part: lowercase letters, digits, -."""
    return _SLUG.sub("-", name.lower()).strip("-")[:40] or "instance"


@dataclass
class ImportPlan:
    """Everything one import writes: statements, sources, markings and the case."""

    instance: str
    fingerprint: str
    case: Case
    rows: list[StatementRow] = field(default_factory=list)
    sources: list[SourceInfo] = field(default_factory=list)
    markings: dict[str, set[str]] = field(default_factory=dict)  # local dataset: markings
    pins: list[Pin] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    withheld: dict[str, Any] = field(default_factory=dict)
    originals: dict[str, bytes] = field(default_factory=dict)  # by sha256


def plan_import(bundle: Bundle, path: str, importer: str, now: str) -> ImportPlan:
    """The plan of importing `bundle` (read from `path`) for `importer`; a field that
    is missing or wrong is a `BundleError` naming the file, line and field."""
    try:
        return _plan(bundle, path, importer, now)
    except (ValueError, TypeError, AttributeError) as error:
        raise BundleError(path, str(error)) from None


def _plan(bundle: Bundle, path: str, importer: str, now: str) -> ImportPlan:
    manifest, kid = bundle.manifest, key_id(bundle.public_key)
    instance = manifest.get("instance") or {}
    name = slug(str(instance.get("name") or kid))
    doc = bundle.json("case.json")
    header = doc.get("case") if isinstance(doc, dict) else None
    if not isinstance(header, dict) or not _ID.fullmatch(str(header.get("id"))):
        raise BundleError(path, "case.json: field 'case' has no valid case id")
    case_id = str(header["id"])
    prefix = f"{name}.{case_id}."
    rows: dict[str, StatementRow] = {}
    renamed: dict[str, str] = {}  # the sender's statement id: the local one
    markings: dict[str, set[str]] = {}
    for number, data in enumerate(bundle.lines("statements.jsonl"), 1):
        where = f"statements.jsonl line {number}"
        dataset = prefix + text_field(where, data if isinstance(data, dict) else {}, "dataset")
        try:
            check_collection(dataset)
        except ThreadlineError:
            raise ValueError(f"{where}: field 'dataset' is not a usable name") from None
        row = statement_row(where, data, dataset)
        rows[row.id] = row
        renamed[str(data.get("id"))] = row.id
        carried = data.get("markings") or []
        try:
            found = {check_marking(str(m)) for m in carried}
        except ThreadlineError as error:
            raise ValueError(f"{where}: {error}") from None
        markings.setdefault(dataset, {f"origin-{name}"}).update(found)
    sources = []
    for number, data in enumerate(bundle.json("sources.json"), 1):
        where = f"sources.json item {number}"
        if not isinstance(data, dict) or not isinstance(data.get("size", 0), int):
            raise ValueError(f"{where}: expected a source file object")
        dataset = prefix + text_field(where, data, "dataset")
        if dataset not in markings:
            continue  # a file no shared statement comes from: nothing to describe
        sources.append(
            SourceInfo(
                text_field(where, data, "sha256"),
                text_field(where, data, "name", empty=True),
                dataset,
                int(data.get("size", 0)),
                text_field(where, data, "kind", empty=True),
                text_field(where, data, "ingested_at", empty=True),
                int(data.get("records", 0) or 0),
            )
        )
    local_id = hashlib.sha256(f"{kid}\n{case_id}".encode()).hexdigest()[:12]
    case = Case(
        id=local_id,
        name=f"{header.get('name') or case_id} (shared by {name})",
        purpose=str(header.get("purpose") or f"case {case_id} shared by {name}"),
        created_by=importer,
        created_at=now,
        sources=frozenset(markings),
        members={importer: CaseRole.OWNER},
    )
    having = {row.entity_id for row in rows.values()}
    pins: dict[str, Pin] = {}
    for data in doc.get("pins") or []:
        for member in [data.get("entity_id"), *(data.get("members") or [])]:
            if isinstance(member, str) and member in having and member not in pins:
                by = f"{data.get('by')}@{name}"
                at, comment = str(data.get("at") or now), str(data.get("comment") or "")
                pins[member] = Pin(local_id, member, by, at, comment)

    def cite(match: re.Match[str]) -> str:
        kind, target = match.group(1), match.group(2)
        return f"[[{kind}:{renamed.get(target, target) if kind == STATEMENT else target}]]"

    notes = []
    for data in doc.get("notes") or []:
        text = PATTERN.sub(cite, str(data.get("text") or ""))
        if len(text) > MAX_TEXT:
            raise ValueError(f"case.json: a note holds at most {MAX_TEXT:,} characters")
        cited = parse_citations(text)
        note_id = hashlib.sha256(f"{local_id}\n{data.get('id')}".encode()).hexdigest()[:16]
        author = f"{data.get('author')}@{name}"
        at = str(data.get("created_at") or now)
        notes.append(Note(note_id, local_id, author, at, text, cited.statements, cited.entities))
    plan = ImportPlan(name, bundle.fingerprint, case, list(rows.values()), sources, markings)
    plan.pins, plan.notes = list(pins.values()), notes
    hashes = {row.value for row in rows.values() if row.prop == "contentHash"}
    for sha256, data in bundle.originals.items():
        if sha256 not in hashes:
            raise ValueError(f"originals/{sha256}: no shared document has this content hash")
        plan.originals[sha256] = data
    withheld = bundle.json("withheld.json")
    plan.withheld = withheld if isinstance(withheld, dict) else {}
    return plan
