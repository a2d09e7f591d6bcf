"""Looking up cited document pages (`[[doc:ID#p3]]`) in the store, within a reach.

Only statements of datasets in `reach` give text, names or hashes; a document that
exists outside it is withheld, one that does not exist (or has no such page) is
erased or unknown. Nothing read outside the reach leaves this module but that state.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from threadline.cases.citation import document_target
from threadline.cases.docpage import ERASED, OK, WITHHELD, CitedPage
from threadline.model.entity import Entity
from threadline.model.statement import StatementRow
from threadline.store import Store


def _first(rows: Iterable[StatementRow], prop: str) -> str:
    return next((r.value for r in rows if r.prop == prop), "")


def _page_rows(store: Store, document_id: str, page: int) -> list[StatementRow]:
    """All statements of the document's page `page` (any dataset), or none."""
    ids = {
        r.entity_id
        for r in store.references(document_id)
        if r.schema == "Page" and r.prop == "document"
    }
    for rows in store.statements_for(ids).values():
        if _first(rows, "index") == str(page):
            return rows
    return []


def cited_page(store: Store, reach: Collection[str] | None, target: str) -> CitedPage:
    """One cited document or page as a reader within `reach` (None: all) sees it."""
    document_id, page = document_target(target)
    found = store.statements_for([document_id]).get(document_id, [])
    readable = [r for r in found if reach is None or r.dataset in reach]
    if not found or not Entity.assemble(document_id, found).schema.is_a("Document"):
        return CitedPage(target, document_id, page, ERASED)
    if not readable:
        return CitedPage(target, document_id, page, WITHHELD)
    rows = readable
    entity_id = document_id
    if page is not None:
        page_rows = _page_rows(store, document_id, page)
        if not page_rows:
            return CitedPage(target, document_id, page, ERASED)
        rows = [r for r in page_rows if reach is None or r.dataset in reach]
        if not rows:
            return CitedPage(target, document_id, page, WITHHELD)
        entity_id = page_rows[0].entity_id
    text = "".join(r.value for r in rows if r.prop == "bodyText")
    doc = Entity.assemble(document_id, readable)
    return CitedPage(
        target,
        document_id,
        page,
        OK,
        entity_id,
        doc.caption,
        _first(readable, "fileName"),
        _first(readable, "contentHash"),
        rows[0].dataset,
        text,
    )


def cited_pages(
    store: Store, reach: Collection[str] | None, targets: Iterable[str]
) -> dict[str, CitedPage]:
    """Each cited target (`ID#p3` or `ID`), once, as the reader sees it."""
    return {t: cited_page(store, reach, t) for t in dict.fromkeys(targets)}


def readable_targets(
    store: Store, reach: Collection[str] | None, targets: Collection[str]
) -> set[str]:
    """The targets a note may cite: those the reader can read now."""
    return {t for t, c in cited_pages(store, reach, targets).items() if c.state == OK}
