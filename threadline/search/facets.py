"""Document facets: an entity's document type, e-mail sender and recipients, and year.

Worked out from the statements an index document is built from, so a slice of a
merged entity (the part a reader of some of its datasets sees) has only the facet
values of its own statements: no count and no value comes from an unreadable part.

- *Document type*: the followthemoney schema of a document entity (`Pages`, `Email`,
  `PlainText`, `Workbook`...); a `Page` has the type of the document it belongs to,
  so filtering by `Pages` finds the pages whose text matched.
- *Sender* and *recipient*: the e-mail addresses in an `Email`'s `from` and `sender`
  headers, and in its `to`, `cc` and `bcc` headers, lower-cased. The ingest keeps the
  headers as text (`"Alice" <alice@example.org>`); the address is what names a
  correspondent the same way in every message (the `LegalEntity` records made for
  them have the same ids for the same address).
- *Year*: the year a document or event is dated: of the first of `YEAR_PROPS` that
  has a value. A birth or incorporation date is not when a record "happened", so a
  year filter gives the documents, payments and meetings of that year, not people
  born in it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import getaddresses
from functools import lru_cache

from followthemoney import model
from followthemoney.schema import Schema

from threadline.model.entity import Entity

# The facet names a SearchResult counts, in the order pages list them.
DOC_TYPE, SENDER, RECIPIENT, YEAR = "doc_type", "sender", "recipient", "year"
SENDER_PROPS = ("from", "sender")
RECIPIENT_PROPS = ("to", "cc", "bcc")
# In order of preference: a mail's `date` before a file's metadata, authoring before
# publishing, creation before modification; `startDate` dates an ownership or a
# directorship by when it began.
YEAR_PROPS = ("date", "authoredAt", "publishedAt", "createdAt", "modifiedAt", "startDate")
# Every property a facet reads: `make_document` keeps their values for `facets_of`.
FACET_PROPS = frozenset((*SENDER_PROPS, *RECIPIENT_PROPS, *YEAR_PROPS))
DOCUMENT = "Document"
PAGE = "Page"


@dataclass(frozen=True)
class Facets:
    """The facet values of one index document (each list sorted, without repeats)."""

    doc_type: list[str]
    senders: list[str]
    recipients: list[str]
    years: list[str]


@dataclass(frozen=True)
class PageOf:
    """What a `Page` takes from the document it belongs to: its caption for the
    page's caption ("report.pdf, page 3"), and its type and dates for the facets.

    The dates keep their datasets (`dataset, prop, value`): a page's years come only
    from the statements of the datasets the page's index document is read from.
    """

    caption: str
    doc_type: str
    dated: tuple[tuple[str, str, str], ...] = ()

    def years(self, datasets: Collection[str]) -> list[str]:
        """The document's years as a reader of `datasets` sees them."""
        values: dict[str, list[str]] = {}
        for dataset, prop, value in self.dated:
            if dataset in datasets:
                values.setdefault(prop, []).append(value)
        return years_of(values)


def page_of(document: Entity) -> PageOf:
    """The caption, type and years of the document a page belongs to."""
    dated = tuple(
        (row.dataset, row.prop, row.value) for row in document.statements if row.prop in YEAR_PROPS
    )
    return PageOf(document.proxy.caption, document.schema.name, dated)


def facets_of(
    schema: Schema,
    values: Mapping[str, Sequence[str]],
    page: PageOf | None = None,
    datasets: Collection[str] = (),
) -> Facets:
    """The facets of an entity of `schema` whose facet properties hold `values`; a
    page's come from its document (`page`), as a reader of `datasets` sees it."""
    if schema.name == PAGE:
        if page is None:
            return Facets([], [], [], [])
        return Facets([page.doc_type], [], [], page.years(datasets))
    doc_type = [schema.name] if _is_document(schema) else []
    if not values:  # most records: no facet property (one call per entity indexed)
        return Facets(doc_type, [], [], [])
    senders = [v for p in SENDER_PROPS for v in values.get(p, ())]
    recipients = [v for p in RECIPIENT_PROPS for v in values.get(p, ())]
    return Facets(
        doc_type=doc_type,
        senders=addresses(senders) if senders else [],
        recipients=addresses(recipients) if recipients else [],
        years=years_of(values),
    )


@lru_cache(maxsize=512)
def _is_document(schema: Schema) -> bool:
    return schema.is_a(DOCUMENT)


def addresses(headers: Iterable[str]) -> list[str]:
    """The e-mail addresses in header values, lower-cased, sorted, without repeats."""
    found: set[str] = set()
    for _, address in getaddresses(list(headers)):
        address = address.strip().lower()
        if "@" in address:
            found.add(address)
    return sorted(found)


def years_of(values: Mapping[str, Sequence[str]]) -> list[str]:
    """The years of the first of `YEAR_PROPS` with a dated value."""
    for prop in YEAR_PROPS:
        dated = values.get(prop)
        if not dated:
            continue
        years = {v[:4] for v in dated if v[:4].isdigit() and len(v) >= 4}
        if years:
            return sorted(years)
    return []


def document_type(name: str) -> str:
    """The document type `name` names (any case: `email` is `Email`), or ValueError
    listing the types there are."""
    types = document_types()
    found = {t.lower(): t for t in types}.get(name.strip().lower())
    if found is None:
        raise ValueError(f"doc_type: no document type {name!r}; use one of {', '.join(types)}")
    return found


def document_types() -> list[str]:
    """The document types: followthemoney's `Document` schema and its descendants."""
    return sorted(s.name for s in model.schemata.values() if s.is_a(DOCUMENT))


def year_value(year: int) -> str:
    """A year filter as the index holds years (four digits), or ValueError."""
    if not 1 <= year <= 9999:
        raise ValueError(f"year: {year} is not a year (use 1 to 9999)")
    return f"{year:04d}"
