"""Finding mentions: the known values of the store's entities, the texts of its
documents, and the mentions the texts make, as statements. No I/O: the workbench
reads the store and writes what this returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from threadline.mentions.matcher import Hit, Matcher, Target
from threadline.mentions.mention import MENTION, Place, mention_rows
from threadline.mentions.patterns import EMAIL, IBAN, PHONE, Identifiers, address_spans
from threadline.model.schema import get_schema
from threadline.model.statement import StatementRow

# (entity_id, schema, prop, prop_type, value, dataset), as the store's scans give them.
Row = tuple[str, ...]
VALUE_TYPES = ("name", "identifier", EMAIL, PHONE)
TEXT_PROPS = frozenset({"bodyText", "indexText"})
PAGE = "Page"


@cache  # a few dozen schemata, asked once per entity or value
def is_text_holder(schema: str) -> bool:
    """Whether entities of this schema hold document text (documents and their pages)."""
    found = get_schema(schema)
    return found.name == PAGE or found.is_a("Document")


@cache
def is_target(schema: str) -> bool:
    """Whether entities of this schema can be mentioned: not documents, pages or mentions."""
    return schema != MENTION and not is_text_holder(schema)


@dataclass
class Finder:
    """Known names, identifiers, e-mail addresses, phone numbers and IBANs, ready to
    be found in text."""

    matcher: Matcher
    identifiers: Identifiers
    values: int  # how many values were read

    @classmethod
    def of(cls, rows: Iterable[Row], wanted: Callable[[str], bool]) -> Finder:
        """From scanned statements (`VALUE_TYPES`), only of datasets `wanted`."""
        matcher, identifiers, count = Matcher(), Identifiers(), 0
        schemas: dict[str, bool] = {}
        for entity_id, schema, prop, prop_type, value, dataset in rows:
            mentionable = schemas.get(schema)
            if mentionable is None:
                mentionable = schemas[schema] = is_target(schema)
            if not mentionable or prop.endswith("Mentioned") or not wanted(dataset):
                continue
            count += 1
            target = Target(entity_id, schema, dataset)
            if prop_type == "name":
                matcher.add_name(value, target)
            elif prop_type == "identifier":
                if prop_format(schema, prop) == IBAN:
                    identifiers.add(IBAN, value, target)
                matcher.add_identifier(value, target)
            elif prop_type in (EMAIL, PHONE):
                identifiers.add(prop_type, value, target)
        matcher.build()
        return cls(matcher, identifiers, count)

    def hits(self, text: str) -> list[tuple[Hit, str | None]]:
        """Every hit in a text, with the clean value of an identifier found by pattern."""
        found: list[tuple[Hit, str | None]] = [(hit, None) for hit in self.matcher.find(text)]
        if found and (addresses := address_spans(text)):
            found = [f for f in found if not any(a <= f[0].start < b for a, b in addresses)]
        found.extend(self.identifiers.find(text))
        return found


def prop_format(schema: str, prop: str) -> str | None:
    """The format of a schema's property (an identifier's "iban"), if it has one."""
    found = get_schema(schema).get(prop)
    return found.format if found is not None else None


def places(statements: list[StatementRow]) -> list[Place]:
    """The texts of one entity's statements, if it is a document or a page."""
    first = statements[0]
    if not is_text_holder(first.schema):
        return []
    pages = [r.value for r in statements if r.prop == "index"]
    owners = sorted(r.value for r in statements if r.prop == "document")
    document = owners[0] if first.schema == PAGE and owners else first.entity_id
    page = int(float(pages[0])) if pages and first.schema == PAGE else None
    texts = sorted((r for r in statements if r.prop in TEXT_PROPS), key=lambda r: r.id)
    return [Place(row, document, page) for row in texts]


Found = dict[tuple[str, str], list[tuple[Place, Hit, str | None]]]


def find(finder: Finder, texts: Iterable[Place], found: Found) -> int:
    """Add the hits in `texts` to `found` (by document and entity); returns the number
    of characters read."""
    read = 0
    for place in texts:
        text = place.statement.value
        read += len(text)
        for hit, value in finder.hits(text):
            for target in hit.targets:
                if target.entity_id != place.document_id:
                    found.setdefault((place.document_id, target.entity_id), []).append(
                        (place, hit, value)
                    )
    return read


def rows_of(found: Found, seen: str) -> dict[str, list[StatementRow]]:
    """The statements of every mention in `found`, by document. `detectedSchema` is
    stated only for an entity with values in the document's own dataset, so a mention
    never tells the schema of an entity kept elsewhere."""
    out: dict[str, list[StatementRow]] = {}
    for (document_id, entity_id), hits in sorted(found.items()):
        hits.sort(key=lambda f: (f[0].statement.id, f[1].start, f[1].end, f[1].kind))
        dataset = hits[0][0].statement.dataset
        targets = [t for _, hit, _ in hits for t in hit.targets if t.entity_id == entity_id]
        schema = next((t.schema for t in targets if t.dataset == dataset), None)
        rows = mention_rows(document_id, entity_id, hits, schema, seen)
        out.setdefault(document_id, []).extend(rows)
    return out
