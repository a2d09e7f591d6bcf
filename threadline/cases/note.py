"""Notes: a case member's markdown text whose claims cite statements and entities.

Notes are never edited or deleted: a correction is a new note, so what was written,
by whom and when stays part of the record.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from threadline.audit.event import utc_timestamp
from threadline.cases.case import Case, CaseRole
from threadline.cases.citation import KnownIds, parse_citations
from threadline.cases.errors import CaseError, UnknownCitation
from threadline.cases.scope import require_member

MAX_TEXT = 100_000


@dataclass(frozen=True, slots=True)
class Note:
    """A note in a case, with the statement, entity and document ids its text cites."""

    id: str
    case_id: str
    author: str
    created_at: str
    text: str
    statements: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()  # `ID#p3` (a page) or `ID`, as cited


def new_note(
    case: Case,
    author: str,
    text: str,
    known_statements: KnownIds,
    known_entities: KnownIds | None = None,
    *,
    now: str | None = None,
    note_id: str | None = None,
    known_documents: KnownIds | None = None,
) -> Note:
    """A note by an editor or owner of the case; refused if it cites an unknown id.

    `known_statements` (and `known_entities`, if given) return which of the cited ids
    exist within the case's scope, so a note cannot cite what its case cannot reach;
    `known_documents` does the same for `doc:ID#pN` citations (a document is refused
    without it: only a caller that can look pages up may accept them).
    """
    require_member(case, author, CaseRole.EDITOR)
    if not text.strip():
        raise CaseError("a note needs some text")
    if len(text) > MAX_TEXT:
        raise CaseError(f"a note holds at most {MAX_TEXT:,} characters")
    cited = parse_citations(text)
    _check(cited.statements, known_statements, "statement")
    if known_entities is not None:
        _check(cited.entities, known_entities, "entity")
    _check(cited.documents, known_documents or _nothing, "document page")
    return Note(
        id=note_id or secrets.token_hex(8),
        case_id=case.id,
        author=author,
        created_at=now or utc_timestamp(),
        text=text,
        statements=cited.statements,
        entities=cited.entities,
        documents=cited.documents,
    )


def _nothing(ids: frozenset[str]) -> frozenset[str]:
    return frozenset()


def _check(ids: tuple[str, ...], known: KnownIds, kind: str) -> None:
    if not ids:
        return
    wanted = frozenset(ids)
    unknown = wanted - set(known(wanted))
    if unknown:
        raise UnknownCitation(kind, unknown)
