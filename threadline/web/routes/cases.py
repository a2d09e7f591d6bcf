"""Case pages: the list with a form to open a case, and one case file with its purpose,
members, pins, notes (citations resolved to their value and source row), tasks, the
timeline (zoom, filter by type and dates) and export; and adding a fact from an
entity page to a case note.

Everything on a case page acts inside that case, under its purpose. Another user's
case and an unknown id are refused alike (403), so case ids cannot be probed.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from threadline.api.state import server
from threadline.app.workbench import EntityView, Workbench
from threadline.cases import CaseError, CaseRole, TimelineItem
from threadline.cases.chartimage import chart_svg, svg_data
from threadline.cases.citation import STATEMENT, cite, iter_citations
from threadline.cases.cited import Cited
from threadline.cases.timeline_view import ZOOMS, TimelineFilter, grouped, kinds, zoom_of
from threadline.errors import ThreadlineError
from threadline.web.render import link, path_part
from threadline.web.visitor import Page, PageError, remember_case

router = APIRouter(include_in_schema=False)
MAX_VIEWS = 50  # pinned or cited entities loaded for captions and statement links
MAX_TIMELINE = 500
EXPORTS = {"json": "application/json", "html": "text/html; charset=utf-8"}
CITABLE = re.compile(r"[^\[\]\s]{1,255}")  # an id that sits inside `[[kind:ID]]` as itself


MAX_TIMELINE_PAGE = MAX_TIMELINE


@dataclass(frozen=True)
class Piece:
    """A piece of a note's text: plain text, or a citation with its link (if known)
    and what it resolves to now (value, entity, dataset, file and row, or a warning)."""

    text: str
    href: str | None = None
    cited: bool = False
    ref: str = ""  # the citation as written, `entity:ID` or `stmt:ID`
    found: Cited | None = None


def note_pieces(text: str, citations: dict[str, Cited]) -> list[Piece]:
    """Note text cut at its citations, each shown by what it cites: a statement by its
    value (linking to the statement on its entity's page), an entity by its caption.
    An erased or withheld one keeps its id and carries its warning."""
    pieces: list[Piece] = []
    last = 0
    for start, end, kind, target in iter_citations(text):
        if start > last:
            pieces.append(Piece(text[last:start]))
        ref = f"{kind}:{target}"
        found = citations.get(ref)
        href = None
        shown = ref
        if found is not None and not found.warning:
            owner = path_part(found.entity_id)
            href = f"/entities/{owner}#stmt-{target}" if kind == STATEMENT else f"/entities/{owner}"
            shown = found.value if kind == STATEMENT else found.caption
        pieces.append(Piece(shown, href, True, ref, found))
        last = end
    if last < len(text):
        pieces.append(Piece(text[last:]))
    return pieces


@dataclass
class TimelinePanel:
    """A timeline as a page shows it: grouped at a zoom, filtered, with the choices."""

    action: str  # the page the filter form asks again
    zoom: str
    chosen: TimelineFilter
    groups: list[tuple[str, list[TimelineItem]]]
    schemata: list[str]
    props: list[str]
    total: int
    more: int = 0
    error: str | None = None
    zooms: tuple[str, ...] = tuple(ZOOMS)


def timeline_panel(
    items: list[TimelineItem],
    action: str,
    zoom: str = "",
    schema: str = "",
    prop: str = "",
    since: str = "",
    until: str = "",
) -> TimelinePanel:
    """The panel for these items and the filter a reader asked for; bad input is
    named on the panel rather than failing the page it sits on."""
    error = None
    try:
        chosen = TimelineFilter.parse(schema, prop, since, until)
        level = zoom_of(zoom)
    except CaseError as problem:
        error, chosen, level = str(problem), TimelineFilter(), "year"
    schemata, props = kinds(items)
    kept = chosen.apply(items)
    groups = grouped(kept[:MAX_TIMELINE_PAGE], level)
    more = max(0, len(kept) - MAX_TIMELINE_PAGE)
    return TimelinePanel(action, level, chosen, groups, schemata, props, len(kept), more, error)


def _views(bench: Workbench, ids: list[str]) -> dict[str, EntityView]:
    found: dict[str, EntityView] = {}
    for entity_id in list(dict.fromkeys(ids))[:MAX_VIEWS]:
        try:
            found[entity_id] = bench.entity(entity_id)
        except ThreadlineError:
            continue  # out of the case's reach now: listed by id only
    return found


def _back(case_id: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/cases/{path_part(case_id)}{anchor}", 303)


@router.get("/cases")
def cases_page(web: Page) -> HTMLResponse:
    cases = web.bench.case_list()
    for case in cases:
        remember_case(web.request, case.id, case.name)
    return web.page("cases.html", cases=cases, datasets=web.bench.datasets())


@router.post("/cases")
def create_case(
    web: Page,
    name: Annotated[str, Form()] = "",
    purpose: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "all",
    sources: Annotated[list[str] | None, Form()] = None,
    work: Annotated[str, Form()] = "",
) -> RedirectResponse:
    chosen: str | list[str] = "all" if scope == "all" else [s for s in sources or [] if s]
    case = web.bench.case_create(name, purpose, chosen)
    remember_case(web.request, case.id, case.name)
    if work and web.who.session_id:
        server(web.request).sessions.set_work(web.who.session_id, case.id, None)
    return _back(case.id)


@router.get("/cases/{case_id}")
def case_page(
    web: Page,
    case_id: str,
    zoom: str = "",
    schema: str = "",
    prop: str = "",
    since: str = "",
    until: str = "",
) -> HTMLResponse:
    bench = web.in_case(case_id)
    found = bench.case_show(case_id)
    case = found.case
    remember_case(web.request, case.id, case.name)
    views = _views(bench, [p.entity_id for p in found.pins])
    notes = [(note, note_pieces(note.text, found.citations)) for note in found.notes]
    action = f"/cases/{path_part(case.id)}"
    panel = timeline_panel(found.timeline, action, zoom, schema, prop, since, until)
    charts = [(chart, svg_data(chart_svg(chart))) for chart in bench.case_charts(case.id)]
    role = case.role_of(web.visitor.user or "")
    return web.page(
        "case.html",
        case=case,
        found=found,
        views=views,
        notes=notes,
        role=role.label if role else None,
        editor=role is not None and role >= CaseRole.EDITOR,
        owner=role is not None and role >= CaseRole.OWNER,
        timeline=panel,
        charts=charts,
        working=web.visitor.case == case.id,
    )


@router.post("/cases/{case_id}/pins")
def pin_here(
    web: Page,
    case_id: str,
    entity_id: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
) -> RedirectResponse:
    if not entity_id.strip():
        raise PageError(400, "entity_id: name the entity to pin (its id, or pick it by name).")
    web.in_case(case_id).case_pin(case_id, entity_id.strip(), comment[:2000])
    return _back(case_id, "#pins")


@router.post("/citations")
def add_citation(
    web: Page,
    case_id: Annotated[str, Form()] = "",
    entity: Annotated[str, Form()] = "",
    statement: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """A fact of an entity page, added to a case as a note citing it (and its entity,
    so the case can reach the fact whether or not the entity is pinned)."""
    for field, value in (("case_id", case_id), ("entity", entity), ("statement", statement)):
        if not CITABLE.fullmatch(value):
            raise PageError(
                400, f"{field}: missing or not an id; choose a case and a fact to cite."
            )
    words = text.strip()[:2000] or "Cited:"
    note_text = f"{words} {cite(STATEMENT, statement)} (of {cite('entity', entity)})"
    note = web.in_case(case_id).case_note(case_id, note_text)
    target = link(f"/entities/{path_part(entity)}", done="cited", case=case_id, note=note.id)
    return RedirectResponse(f"{target}#stmt-{statement}", 303)


@router.post("/cases/{case_id}/notes")
def add_note(web: Page, case_id: str, text: Annotated[str, Form()] = "") -> RedirectResponse:
    note = web.in_case(case_id).case_note(case_id, text)
    return _back(case_id, f"#note-{note.id}")


@router.post("/cases/{case_id}/tasks")
def add_task(
    web: Page,
    case_id: str,
    title: Annotated[str, Form()] = "",
    assignee: Annotated[str, Form()] = "",
    due: Annotated[str, Form()] = "",
) -> RedirectResponse:
    web.in_case(case_id).case_task(case_id, title, assignee=assignee or None, due=due or None)
    return _back(case_id, "#tasks")


@router.post("/cases/{case_id}/tasks/{task_id}")
def update_task(
    web: Page, case_id: str, task_id: str, status: Annotated[str, Form()] = ""
) -> RedirectResponse:
    web.in_case(case_id).case_task_update(case_id, task_id, status=status)
    return _back(case_id, "#tasks")


@router.post("/cases/{case_id}/members")
def set_member(
    web: Page,
    case_id: str,
    user: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
) -> RedirectResponse:
    if not user.strip():
        raise PageError(400, "Name the user to add, change or remove.")
    web.in_case(case_id).case_member(case_id, user.strip(), role or None)
    return _back(case_id, "#members")


@router.post("/cases/{case_id}/unpin")
def unpin(web: Page, case_id: str, entity_id: Annotated[str, Form()] = "") -> RedirectResponse:
    web.in_case(case_id).case_unpin(case_id, entity_id)
    return _back(case_id, "#pins")


@router.post("/cases/{case_id}/work")
def work_here(web: Page, case_id: str) -> RedirectResponse:
    found = web.in_case(case_id).case_show(case_id)  # refuses non-members
    if not web.who.session_id:
        raise PageError(400, "only a signed-in browser session has a current case")
    server(web.request).sessions.set_work(web.who.session_id, found.case.id, None)
    return _back(case_id)


@router.post("/cases/{case_id}/export")
def export(web: Page, case_id: str, format: Annotated[str, Form()] = "html") -> Response:
    if format not in EXPORTS:
        raise PageError(400, "Export as html or json.")
    with tempfile.TemporaryDirectory(prefix="threadline-case-") as folder:
        paths = web.in_case(case_id).case_export(case_id, Path(folder))
        chosen = next(p for p in paths if p.suffix == f".{format}")
        body = chosen.read_bytes()
        name = chosen.name
    return Response(
        body,
        media_type=EXPORTS[format],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            # The HTML bundle has its own inline style and no scripts.
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        },
    )
