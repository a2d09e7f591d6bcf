"""Citations resolved: what a note's `[[stmt:ID]]`, `[[entity:ID]]` and `[[doc:ID#p3]]`
stand for now.

A cited statement resolves to its value, property, entity, dataset, source file and
row. One that is gone from the store (erased) or out of the reader's reach is kept,
with a warning that says which, rather than dropped: the note still says what its
author saw. Lookups are passed in, so this module does no I/O of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from followthemoney import model

from threadline.cases.citation import DOCUMENT, ENTITY, STATEMENT
from threadline.cases.docpage import ERASED as ERASED
from threadline.cases.docpage import OK as OK
from threadline.cases.docpage import WITHHELD as WITHHELD
from threadline.cases.docpage import CitedPage, excerpt
from threadline.cases.inview import Clusters, InView, Load, merged_captions
from threadline.cases.note import Note
from threadline.cases.timeline import captions_of
from threadline.model.statement import StatementRow

WARNINGS = {
    ERASED: "erased: no longer in the store",
    WITHHELD: "not shown: outside what you may read in this case",
}
# Entity ids -> the ids of all their statements, whoever may read them (existence only).
Existing = Callable[[Collection[str]], set[str]]
# (file sha256, dataset) -> the file's name.
SourceNames = Mapping[tuple[str, str], str]


@dataclass(frozen=True, slots=True)
class Cited:
    """One citation as the reader may see it now."""

    kind: str
    target: str
    state: str = OK
    entity_id: str = ""
    caption: str = ""
    schema: str = ""
    prop: str = ""
    prop_label: str = ""
    value: str = ""
    dataset: str = ""
    file: str = ""
    source: str = ""
    location: int | None = None

    @property
    def ref(self) -> str:
        """The citation as written, without brackets: `stmt:ID` or `entity:ID`."""
        return f"{self.kind}:{self.target}"

    @property
    def warning(self) -> str:
        """What is wrong with it, or nothing."""
        return WARNINGS.get(self.state, "")


def _label(schema: str, prop: str) -> str:
    found = model.get(schema)
    known = found.properties.get(prop) if found is not None else None
    return known.label if known is not None else prop


def _statement(
    target: str, row: StatementRow, captions: Mapping[str, str], files: SourceNames
) -> Cited:
    return Cited(
        STATEMENT,
        target,
        OK,
        entity_id=row.entity_id,
        caption=captions.get(row.entity_id, row.entity_id),
        schema=row.schema,
        prop=row.prop,
        prop_label=_label(row.schema, row.prop),
        value=row.value,
        dataset=row.dataset,
        file=files.get((row.source, row.dataset), ""),
        source=row.source,
        location=row.location,
    )


def resolve(
    notes: Sequence[Note],
    pinned: Iterable[str],
    clusters: Clusters,
    load: Load,
    existing: Existing,
    files: SourceNames,
    around: InView | None = None,
    pages: Mapping[str, CitedPage] | None = None,
) -> dict[str, Cited]:
    """Every citation of the notes, keyed by `kind:id`.

    `pages` are the cited document pages as the reader sees them (`cited_pages`):
    a page the reader may read resolves to its excerpt and its file; any other is
    withheld or erased, with nothing of its text.

    A note may cite statements of the entities the case pins or the note cites, or of
    the links on the case's timeline (what `case_note` checks): those entities'
    statements, and `around` (the timeline's view, already read), are where
    citations are found.
    """
    cited_entities = [e for n in notes for e in n.entities]
    merged = clusters([*pinned, *cited_entities])
    members = {m for found in merged.values() for m in found} | set(cited_entities)
    rows = load(members) + (around.rows if around is not None else [])
    by_id = {r.id: r for r in rows}
    by_entity: dict[str, list[StatementRow]] = {}
    for each in by_id.values():
        by_entity.setdefault(each.entity_id, []).append(each)
    captions = {**captions_of(by_entity), **merged_captions(merged, rows)}
    linked = around.linked if around is not None else frozenset()
    present = existing(members | linked) if any(n.statements for n in notes) else set()
    found: dict[str, Cited] = {}
    for note in notes:
        for target in note.statements:
            row = by_id.get(target)
            if row is not None:
                found[f"{STATEMENT}:{target}"] = _statement(target, row, captions, files)
            else:
                state = WITHHELD if target in present else ERASED
                found[f"{STATEMENT}:{target}"] = Cited(STATEMENT, target, state)
        for target in note.entities:
            caption = captions.get(target)
            if caption is None:
                state = WITHHELD if existing([target]) else ERASED
                found[f"{ENTITY}:{target}"] = Cited(ENTITY, target, state, target)
            else:
                found[f"{ENTITY}:{target}"] = Cited(ENTITY, target, OK, target, caption)
        for target in note.documents:
            found[f"{DOCUMENT}:{target}"] = _page(target, (pages or {}).get(target))
    return found


def _page(target: str, page: CitedPage | None) -> Cited:
    if page is None or page.state != OK:
        return Cited(DOCUMENT, target, page.state if page is not None else ERASED)
    return Cited(
        DOCUMENT,
        target,
        OK,
        entity_id=page.entity_id,
        caption=page.label,
        value=excerpt(page.text, 300),
        dataset=page.dataset,
        file=page.file_name,
        source=page.sha256,
        location=page.page,
    )
