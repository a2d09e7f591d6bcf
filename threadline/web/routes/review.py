"""The review queue: one candidate pair at a time, side by side, with the explanation
of its score; same, not same, unsure and undo (keys s, n, u and z in review.js).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse

from threadline.errors import NotFoundError, ThreadlineError
from threadline.web.render import link, number
from threadline.web.routes.entity import properties
from threadline.web.visitor import Page, PageError

router = APIRouter(include_in_schema=False)
BATCH = 10  # pairs fetched per page view; the first is shown, the count of the rest too
VERDICTS = {"same": "same", "not-same": "not the same", "unsure": "unsure"}
DONE = {
    "same": "Judged the same.",
    "not-same": "Judged not the same.",
    "unsure": "Marked unsure.",
    "undo": "Your last judgement was undone.",
    "nothing": "You have no judgement to undo.",
}


@router.get("/review")
def review_page(web: Page, offset: str = "0", done: str = "") -> HTMLResponse:
    start = number(offset, 0, 0, 1_000_000)
    items = web.bench.review(limit=BATCH, offset=start)
    pair = items[0] if items else None
    sides = []
    explanation = None
    problem = None
    if pair is not None:
        try:
            for side in (pair.left, pair.right):
                view = web.bench.entity(side)
                sides.append((side, view, properties(view.entity)))
            explanation = web.bench.explain(pair.left, pair.right)
        except ThreadlineError as error:
            problem = str(error)
    return web.page(
        "review.html",
        pair=pair,
        sides=sides,
        explanation=explanation,
        problem=problem,
        offset=start,
        waiting=len(items),
        batch=BATCH,
        message=DONE.get(done),
        verdicts=VERDICTS,
    )


@router.post("/review/judge")
def judge(
    web: Page,
    left: Annotated[str, Form()] = "",
    right: Annotated[str, Form()] = "",
    verdict: Annotated[str, Form()] = "",
    offset: Annotated[str, Form()] = "0",
) -> RedirectResponse:
    if verdict not in VERDICTS or not left or not right:
        raise PageError(400, "Choose same, not same or unsure for a pair.")
    web.bench.judge(left, right, verdict)
    target = link("/review", offset=number(offset, 0, 0, 1_000_000) or None, done=verdict)
    return RedirectResponse(target, 303)


@router.post("/review/undo")
def undo(web: Page, offset: Annotated[str, Form()] = "0") -> RedirectResponse:
    try:
        web.bench.undo()
    except NotFoundError:  # nothing of the caller's is left to undo
        return RedirectResponse(link("/review", done="nothing"), 303)
    return RedirectResponse(
        link("/review", offset=number(offset, 0, 0, 1_000_000) or None, done="undo"), 303
    )
