"""The entity page: every value with where it was seen (each citable in one click, or
added to a case note), the links, the documents it is mentioned in, its timeline, the
source records merged into it and why, who accessed it (admins), and a form to pin it
to a case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse

from threadline.app.verbs.mentions import MAX_LIMIT
from threadline.errors import ThreadlineError
from threadline.mentions.finder import TEXT_PROPS, is_text_holder
from threadline.mentions.marks import Named, Run, marked
from threadline.model.entity import Entity
from threadline.model.statement import BASE_PROP, StatementRow
from threadline.resolve.explain import Explanation
from threadline.resolve.judgement import Judgement, Verdict
from threadline.web.render import link, path_part
from threadline.web.routes.cases import timeline_panel
from threadline.web.visitor import Page, PageError, remember_case

router = APIRouter(include_in_schema=False)
MAX_EXPLAINED = 5  # "same" judgements explained feature by feature
MAX_ACCESSES = 50
MAX_MENTIONS = 50  # places shown under "Mentioned in"
MAX_MARKS = MAX_LIMIT  # places marked in a document's text


@dataclass
class Value:
    """One distinct value of a property, with every statement that states it."""

    value: str
    kind: str
    seen: list[StatementRow] = field(default_factory=list)


@dataclass
class Property:
    name: str
    label: str
    values: list[Value]


@dataclass
class Record:
    """A source record merged into the entity: its id, datasets and where it came from."""

    id: str
    datasets: list[str]
    sources: list[tuple[str, int | None]]  # (file name, row)
    names: list[str]


def properties(entity: Entity) -> list[Property]:
    """The entity's values grouped by property, featured properties first."""
    schema = entity.schema
    grouped: dict[str, dict[str, Value]] = {}
    for row in entity.statements:
        if row.prop == BASE_PROP:
            continue
        values = grouped.setdefault(row.prop, {})
        values.setdefault(row.value, Value(row.value, row.prop_type)).seen.append(row)
    featured = list(schema.featured)

    def label(name: str) -> str:
        prop = schema.properties.get(name)
        return prop.label if prop is not None else name

    order = sorted(
        grouped,
        key=lambda n: (n not in featured, featured.index(n) if n in featured else 0, label(n)),
    )
    return [Property(n, label(n), list(grouped[n].values())) for n in order]


def records(entity: Entity, members: list[str]) -> list[Record]:
    """One line per member record, from its own statements."""
    found = []
    for member in members:
        rows = [r for r in entity.statements if r.entity_id == member]
        sources = sorted(
            {(entity.source_names.get(r.source, r.source[:12]), r.location) for r in rows},
            key=lambda s: (s[0], s[1] or 0),
        )
        names = sorted({r.value for r in rows if r.prop == "name"})
        found.append(Record(member, sorted({r.dataset for r in rows}), sources, names))
    return found


def marked_texts(web: Page, entity: Entity) -> dict[str, list[Run]]:
    """A document's (or page's) texts, by value, cut into runs with each entity the
    reader may read marked where it is named (`Workbench.mentions(within=True)`)."""
    if not is_text_holder(entity.schema.name):
        return {}
    places: dict[str, list[tuple[int, int, Named]]] = {}
    for view in web.bench.mentions(entity.id, limit=MAX_MARKS, within=True):
        named = Named(view.entity_id, view.entity_caption)
        places.setdefault(view.statement_id, []).append((view.start, view.end, named))
    texts: dict[str, list[Run]] = {}
    for row in entity.statements:
        if row.prop in TEXT_PROPS and row.id in places and row.value not in texts:
            texts[row.value] = marked(row.value, places[row.id])
    return texts


def why_merged(
    web: Page, members: list[str]
) -> tuple[list[Judgement], list[Explanation], str | None]:
    """Judgements about the members, and explanations of the "same" ones."""
    found = web.bench.judgements(members[0], cluster=True) if members else []
    ordered = sorted(found, key=lambda j: (j.created_at, j.id))
    explained: list[Explanation] = []
    problem = None
    for judgement in [j for j in ordered if j.verdict is Verdict.SAME][:MAX_EXPLAINED]:
        try:
            explained.append(web.bench.explain(judgement.left, judgement.right))
        except ThreadlineError as error:
            problem = str(error)
    return ordered, explained, problem


@router.get("/entities/{entity_id:path}")
def entity_page(
    web: Page,
    entity_id: str,
    done: str = "",
    case: str = "",
    note: str = "",
    zoom: str = "",
    schema: str = "",
    prop: str = "",
    since: str = "",
    until: str = "",
) -> HTMLResponse:
    view = web.bench.entity(entity_id)
    action = f"/entities/{path_part(view.entity.id)}"
    items = web.bench.timeline(view.entity.id)
    panel = timeline_panel(items, action, zoom, schema, prop, since, until)
    judgements, explained, problem = why_merged(web, view.members)
    mentions = web.bench.mentions(view.entity.id, limit=MAX_MENTIONS)
    accesses = None
    if web.visitor.admin:
        accesses = list(reversed(web.bench.audit_who_accessed(view.entity.id)))[:MAX_ACCESSES]
    cases = web.bench.case_list()
    for found in cases:
        remember_case(web.request, found.id, found.name)
    pinned = next((c for c in cases if c.id == case), None) if done == "pinned" else None
    noted = next((c for c in cases if c.id == case), None) if done == "cited" else None
    return web.page(
        "entity.html",
        view=view,
        entity=view.entity,
        asked=entity_id,
        properties=properties(view.entity),
        records=records(view.entity, view.members),
        judgements=judgements,
        explained=explained,
        explain_problem=problem,
        accesses=accesses,
        cases=cases,
        pinned=pinned,
        noted=noted,
        note_id=note,
        timeline=panel,
        mentions=mentions,
        marked=marked_texts(web, view.entity),
    )


@router.post("/pins")
def pin(
    web: Page,
    entity_id: Annotated[str, Form()] = "",
    case_id: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
) -> RedirectResponse:
    if not case_id or not entity_id:
        raise PageError(400, "Choose a case to pin this entity to (or open a case first).")
    made = web.bench.case_pin(case_id, entity_id, comment[:2000])
    target = link(f"/entities/{path_part(made.entity_id)}", done="pinned", case=made.case_id)
    return RedirectResponse(target, 303)
