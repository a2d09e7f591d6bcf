"""The review queue: one candidate pair at a time, side by side, with the explanation
of its score; same, not same, unsure and undo (keys s, n, u and z in review.js).

Any two records can be judged too (`/review/pair`), chosen by name with the pickers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

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
        chosen=None,
    )


@dataclass(frozen=True)
class Chosen:
    """Two records picked by the reviewer rather than offered by the queue."""

    left: str
    right: str


@router.get("/review/pair")
def pair_page(web: Page, left: str = "", right: str = "", done: str = "") -> HTMLResponse:
    left, right = left.strip(), right.strip()
    values: dict[str, Any] = {
        "pair": None,
        "sides": [],
        "explanation": None,
        "problem": None,
        "offset": 0,
        "waiting": 0,
        "batch": BATCH,
        "message": DONE.get(done),
        "verdicts": VERDICTS,
        "chosen": Chosen(left, right),
    }
    if not left and not right:  # the form, before anything is chosen
        return web.page("review.html", **values)
    missing = [name for name, value in (("left", left), ("right", right)) if not value]
    if missing:
        values["problem"] = " and ".join(missing).capitalize() + ": choose a record by name or id."
        return web.page("review.html", 400, **values)
    if left == right:
        values["problem"] = "Right: choose a record other than the left one."
        return web.page("review.html", 400, **values)
    sides = []
    for field, side in (("Left", left), ("Right", right)):
        try:
            view = web.bench.entity(side)
        except NotFoundError as error:
            values["problem"] = f"{field}: {error}."
            return web.page("review.html", 404, **values)
        sides.append((side, view, properties(view.entity)))
    values.update(pair=Chosen(left, right), sides=sides)
    try:
        values["explanation"] = web.bench.explain(left, right)
    except ThreadlineError as error:
        values["problem"] = str(error)
    return web.page("review.html", **values)


def _back(offset: str, done: str, left: str, right: str, chosen: bool) -> str:
    """Where a decision returns: the queue at its place, or the pair that was chosen."""
    if chosen:
        return link("/review/pair", left=left, right=right, done=done)
    return link("/review", offset=number(offset, 0, 0, 1_000_000) or None, done=done)


@router.post("/review/judge")
def judge(
    web: Page,
    left: Annotated[str, Form()] = "",
    right: Annotated[str, Form()] = "",
    verdict: Annotated[str, Form()] = "",
    offset: Annotated[str, Form()] = "0",
    chosen: Annotated[str, Form()] = "",
) -> RedirectResponse:
    if verdict not in VERDICTS or not left or not right:
        raise PageError(400, "Choose same, not same or unsure for a pair.")
    web.bench.judge(left, right, verdict)
    return RedirectResponse(_back(offset, verdict, left, right, bool(chosen)), 303)


@router.post("/review/undo")
def undo(
    web: Page,
    offset: Annotated[str, Form()] = "0",
    left: Annotated[str, Form()] = "",
    right: Annotated[str, Form()] = "",
    chosen: Annotated[str, Form()] = "",
) -> RedirectResponse:
    pair = bool(chosen and left and right)
    try:
        web.bench.undo()
    except NotFoundError:  # nothing of the caller's is left to undo
        return RedirectResponse(_back("0", "nothing", left, right, pair), 303)
    return RedirectResponse(_back(offset, "undo", left, right, pair), 303)
