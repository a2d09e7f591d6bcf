"""Case files: open and list cases; members, pins, notes, tasks; the evidence bundle.

A route under `/cases/{case_id}` works inside that case: the case, not a header or
the session's current work, gives the call its purpose and source limits. A case the
caller is not a member of is refused exactly like a case that does not exist (403),
so nobody can learn which case ids exist.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse

from threadline.api.deps import Bench, Who, context_for
from threadline.api.errors import responses
from threadline.api.schemas import (
    CaseFileOut,
    CaseIn,
    CaseOut,
    MemberIn,
    NoteIn,
    NoteOut,
    PinIn,
    PinOut,
    TaskChange,
    TaskIn,
    TaskOut,
)
from threadline.api.schemas.cases import TimelineOut, TimelineQuery
from threadline.api.schemas.chart import ChartIn, ChartOut
from threadline.api.state import server
from threadline.app.workbench import Workbench
from threadline.cases import KEEP
from threadline.errors import NotFoundError

router = APIRouter(prefix="/cases", tags=["cases"], responses=responses())

CaseId = Annotated[str, Path(min_length=1, max_length=64)]
# The bundle's HTML is a stand-alone report: a download, never a page of this origin.
SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
BUNDLE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The evidence bundle: JSON, or a self-contained HTML report",
        "content": {"application/json": {}, "text/html": {}},
    }
}


def case_bench(request: Request, who: Who, case_id: CaseId) -> Workbench:
    """The workbench acting for the caller inside the case named in the path."""
    context = replace(context_for(request, who), case=case_id)
    return server(request).bench.acting(context)


InCase = Annotated[Workbench, Depends(case_bench)]


@router.post("", response_model=CaseOut, status_code=201)
def case_create(bench: Bench, body: CaseIn) -> CaseOut:
    """`Workbench.case_create(name, purpose, sources)`: the caller owns the new case."""
    return CaseOut.of(bench.case_create(body.name, body.purpose, body.sources))


@router.get("", response_model=list[CaseOut])
def case_list(bench: Bench) -> list[CaseOut]:
    """`Workbench.case_list()`: the caller's cases, newest first."""
    return [CaseOut.of(c) for c in bench.case_list()]


@router.get("/{case_id}", response_model=CaseFileOut)
def case_show(bench: InCase, case_id: CaseId) -> CaseFileOut:
    """`Workbench.case_show(case_id)`: pins, notes, tasks and timeline."""
    return CaseFileOut.of(bench.case_show(case_id))


@router.get("/{case_id}/timeline", response_model=list[TimelineOut])
def case_timeline(
    bench: InCase, case_id: CaseId, query: Annotated[TimelineQuery, Query()]
) -> list[TimelineOut]:
    """`Workbench.case_timeline(case_id, schema=, prop=, since=, until=)`: the dated
    facts of the pinned entities and the links touching them, periods with their end."""
    items = bench.case_timeline(
        case_id, schema=query.schema_, prop=query.prop, since=query.since, until=query.until
    )
    return [TimelineOut.of(i) for i in items]


@router.post("/{case_id}/members", response_model=CaseOut)
def case_member(bench: InCase, case_id: CaseId, body: MemberIn) -> CaseOut:
    """`Workbench.case_member(case_id, user, role)`: owners only; a null role removes."""
    return CaseOut.of(bench.case_member(case_id, body.user, body.role))


@router.post("/{case_id}/pins", response_model=PinOut, status_code=201)
def case_pin(bench: InCase, case_id: CaseId, body: PinIn) -> PinOut:
    """`Workbench.case_pin(case_id, entity_id, comment)`."""
    return PinOut.of(bench.case_pin(case_id, body.entity_id, body.comment))


@router.delete("/{case_id}/pins/{entity_id}", status_code=204)
def case_unpin(
    bench: InCase,
    case_id: CaseId,
    entity_id: Annotated[str, Path(min_length=1, max_length=200)],
) -> Response:
    """`Workbench.case_unpin(case_id, entity_id)`; 404 if it was not pinned."""
    if not bench.case_unpin(case_id, entity_id):
        raise NotFoundError(f"entity {entity_id!r} is not pinned to this case")
    return Response(status_code=204)


@router.post("/{case_id}/notes", response_model=NoteOut, status_code=201)
def case_note(bench: InCase, case_id: CaseId, body: NoteIn) -> NoteOut:
    """`Workbench.case_note(case_id, text)`: `[[stmt:ID]]`, `[[entity:ID]]` cite."""
    return NoteOut.of(bench.case_note(case_id, body.text))


@router.post("/{case_id}/tasks", response_model=TaskOut, status_code=201)
def case_task(bench: InCase, case_id: CaseId, body: TaskIn) -> TaskOut:
    """`Workbench.case_task(case_id, title, assignee=, due=)`."""
    return TaskOut.of(bench.case_task(case_id, body.title, assignee=body.assignee, due=body.due))


@router.patch("/{case_id}/tasks/{task_id}", response_model=TaskOut)
def case_task_update(
    bench: InCase,
    case_id: CaseId,
    task_id: Annotated[str, Path(min_length=1, max_length=64)],
    body: TaskChange,
) -> TaskOut:
    """`Workbench.case_task_update(case_id, task_id, status=, assignee=)`: a field
    left out stays; `"assignee": null` clears it."""
    assignee = body.assignee if "assignee" in body.model_fields_set else KEEP
    task = bench.case_task_update(case_id, task_id, status=body.status, assignee=assignee)
    return TaskOut.of(task)


@router.post("/{case_id}/charts", response_model=ChartOut, status_code=201)
def case_chart(bench: InCase, case_id: CaseId, body: ChartIn) -> ChartOut:
    """`Workbench.case_chart(case_id, title, nodes, edges, note)`: save a chart."""
    nodes = [n.chart_node() for n in body.nodes]
    edges = [e.chart_edge() for e in body.edges]
    return ChartOut.of(bench.case_chart(case_id, body.title, nodes, edges, body.note))


@router.get("/{case_id}/charts", response_model=list[ChartOut])
def case_charts(bench: InCase, case_id: CaseId) -> list[ChartOut]:
    """`Workbench.case_charts(case_id)`: the case's charts, oldest first."""
    return [ChartOut.of(c) for c in bench.case_charts(case_id)]


@router.get("/{case_id}/export", response_class=Response, responses=BUNDLE)
def case_export(
    bench: InCase,
    case_id: CaseId,
    format: Annotated[Literal["json", "html"], Query()] = "json",
) -> Response:
    """`Workbench.case_export(case_id, folder)`: the bundle, as JSON or a report."""
    with tempfile.TemporaryDirectory(prefix="threadline-case-") as folder:
        paths = bench.case_export(case_id, FilePath(folder))
        wanted = next(p for p in paths if p.suffix == f".{format}")
        content = wanted.read_bytes()
        name = wanted.name
    disposition = f'attachment; filename="{name}"'
    if format == "json":
        return Response(
            content, media_type="application/json", headers={"Content-Disposition": disposition}
        )
    headers = {"Content-Disposition": disposition, "Content-Security-Policy": SANDBOX}
    return HTMLResponse(content, headers=headers)
