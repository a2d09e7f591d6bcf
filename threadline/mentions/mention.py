"""A mention as statements: followthemoney's `Mention` entity, one per document and
entity named in it, with every place it is named.

FtM properties carry what FtM has words for: `document` (the document, not its page:
a `Page` is not a `Document` in FtM), `resolved` (the entity), `name` (each text as
matched), `detectedSchema`, `contextEmail`/`contextPhone` (an identifier matched).
FtM has no properties for where in the text and how sure, so two of threadline's own
carry them (kept in the store, left out of FtM exports, which hold FtM properties only):

- `threadline:span`, one per place: `TEXT_ENTITY:STATEMENT:START:END`, the entity
  holding the text (the `Page`, or the document itself), the id of the text statement
  and the character offsets in its value; the statement's `location` is the page number;
- `threadline:confidence`, the best of its places, from 0 to 1 (`confidence`).

Ids are deterministic (the document and entity make the mention's id, the statement
key the rest), so finding the same mentions again gives the same statements.
"""

from __future__ import annotations

from dataclasses import dataclass

from followthemoney.util import make_entity_id

from threadline.mentions.matcher import IDENTIFIER, NAME, Hit
from threadline.mentions.patterns import EMAIL, IBAN, PHONE
from threadline.model.statement import BASE_PROP, StatementRow, statement_id

MENTION = "Mention"
SPAN = "threadline:span"
CONFIDENCE = "threadline:confidence"
_CONTEXT = {EMAIL: "contextEmail", PHONE: "contextPhone"}
_SURE = {EMAIL: 0.95, IBAN: 0.95, IDENTIFIER: 0.9, PHONE: 0.85}


def confidence(hit: Hit) -> float:
    """How sure a hit is: by kind (e-mail, IBAN 0.95; identifier 0.9; phone 0.85; a
    name of several words 0.8, of one 0.6), divided by the number of entities it
    could be (a shared name points at each of them, less surely)."""
    sure = _SURE.get(hit.kind, 0.8 if hit.words > 1 else 0.6)
    return round(sure / max(1, len(hit.targets)), 2)


@dataclass(frozen=True)
class Place:
    """A text a hit is in: its statement, the entity holding it, and the document."""

    statement: StatementRow
    document_id: str
    page: int | None


@dataclass(frozen=True)
class Span:
    """Where a mention is: the text statement, its entity, and offsets in its value."""

    text_entity: str
    statement_id: str
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.text_entity}:{self.statement_id}:{self.start}:{self.end}"

    @classmethod
    def parse(cls, value: str) -> Span:
        """Read a `threadline:span` value back."""
        entity, statement, start, end = value.rsplit(":", 3)
        return cls(entity, statement, int(start), int(end))


def mention_id(document_id: str, entity_id: str) -> str:
    """The id of the mention of `entity_id` in `document_id`."""
    return make_entity_id("mention", document_id, entity_id) or document_id


def mention_rows(
    document_id: str,
    entity_id: str,
    found: list[tuple[Place, Hit, str | None]],
    schema: str | None,
    seen: str,
) -> list[StatementRow]:
    """The statements of one mention: `found` are its places, hits and clean values
    (an identifier's), `schema` the entity's schema where it may be stated."""
    first = found[0][0].statement
    dataset, source = first.dataset, first.source
    mid = mention_id(document_id, entity_id)
    best = max(confidence(hit) for _, hit, _ in found)
    facts: list[tuple[str, str, str, int | None]] = [
        (BASE_PROP, "id", mid, None),
        ("document", "entity", document_id, None),
        ("resolved", "entity", entity_id, None),
        (CONFIDENCE, "number", f"{best:.2f}", None),
    ]
    if schema is not None:
        facts.append(("detectedSchema", "string", schema, None))
    for place, hit, value in found:
        facts.append(("name", "name", " ".join(hit.text.split()), None))
        if value is not None and hit.kind in _CONTEXT:
            facts.append((_CONTEXT[hit.kind], hit.kind, value, None))
        span = Span(place.statement.entity_id, place.statement.id, hit.start, hit.end)
        facts.append((SPAN, "string", str(span), place.page))
    rows: dict[str, StatementRow] = {}
    for prop, prop_type, value, location in facts:
        sid = statement_id(dataset, mid, prop, value, None)
        if sid not in rows:
            rows[sid] = StatementRow(
                mid, sid, MENTION, prop, prop_type, value, None, None, dataset, source,
                location, seen, seen,
            )  # fmt: skip
    return list(rows.values())


__all__ = ["CONFIDENCE", "MENTION", "NAME", "SPAN", "Place", "Span", "mention_id", "mention_rows"]
