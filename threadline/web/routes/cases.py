"""Case pages: the list with a form to open a case, and one case file with its purpose,
members, pins, notes (citations as links), tasks, timeline and export.

Everything on a case page acts inside that case, under its purpose. Another user's
case and an unknown id are refused alike (403), so case ids cannot be probed.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from threadline.api.state import server
from threadline.cases import CaseRole
from threadline.cases.citation import STATEMENT, iter_citations
from threadline.errors import ThreadlineError
from threadline.web.render import path_part
from threadline.web.visitor import Page, PageError, remember_case
from threadline.workbench import EntityView, Workbench

router = APIRouter(include_in_schema=False)
MAX_VIEWS = 50  # pinned or cited entities loaded for captions and statement links
MAX_TIMELINE = 500
EXPORTS = {"json": "application/json", "html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Piece:
    """A piece of a note's text: plain text, or a citation with its link (if known)."""

    text: str
    href: str | None = None
    cited: bool = False
    ref: str = ""  # the citation as written, `entity:ID` or `stmt:ID`


def note_pieces(
    text: str, statements: dict[str, tuple[str, str]], captions: dict[str, str]
) -> list[Piece]:
    """Note text cut at its citations, each shown by what it cites where that is in
    view: a statement by its value (linking to its entity's page), an entity by its
    caption. Unknown ones keep their id."""
    pieces: list[Piece] = []
    last = 0
    for start, end, kind, target in iter_citations(text):
        if start > last:
            pieces.append(Piece(text[last:start]))
        if kind == STATEMENT:
            owner, value = statements.get(target, ("", ""))
            href = f"/entities/{path_part(owner)}#stmt-{target}" if owner else None
            shown = value or f"{kind}:{target}"
        else:
            href = f"/entities/{path_part(target)}"
            shown = captions.get(target, f"{kind}:{target}")
        pieces.append(Piece(shown, href, True, f"{kind}:{target}"))
        last = end
    if last < len(text):
        pieces.append(Piece(text[last:]))
    return pieces


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
def case_page(web: Page, case_id: str) -> HTMLResponse:
    bench = web.in_case(case_id)
    found = bench.case_show(case_id)
    case = found.case
    remember_case(web.request, case.id, case.name)
    cited = [e for note in found.notes for e in note.entities]
    views = _views(bench, [p.entity_id for p in found.pins] + cited)
    statements = {
        row.id: (view.entity.id, row.value)
        for view in views.values()
        for row in view.entity.statements
    }
    captions = {key: view.entity.caption for key, view in views.items()}
    notes = [(note, note_pieces(note.text, statements, captions)) for note in found.notes]
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
        timeline=found.timeline[:MAX_TIMELINE],
        more_timeline=max(0, len(found.timeline) - MAX_TIMELINE),
        working=web.visitor.case == case.id,
    )


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
