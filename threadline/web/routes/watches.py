"""The watches page: the visitor's watches (saved searches, entities, pairs) with their
latest alerts; making one (from here, a search page or an entity page), removing one,
and marking alerts seen.

Every action is a workbench verb, audited as in the API and the CLI. A search watch
made from the search page carries its filters, the document facets (type, sender,
recipient, year) included, and is re-evaluated with them. A search watch
that would profile people is refused by the same rule (`threadline.access.profiling`),
and the refusal is shown on the page with the form as it was filled in.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from threadline.access.profiling import ProfilingRefused
from threadline.watch import WatchError
from threadline.watch.records import MAX_HOPS, AlertView, Watch
from threadline.web.routes.search import year_of
from threadline.web.visitor import Page, Web

router = APIRouter(include_in_schema=False)
ALERTS = 500  # the newest alerts read for the page
PER_WATCH = 10  # shown under each watch
Text = Annotated[str, Form(max_length=500)]


def _page(
    web: Web, status: int = 200, error: str = "", form: dict[str, Any] | None = None
) -> HTMLResponse:
    """The page: every watch of the visitor's, newest first, with its latest alerts."""
    watches: list[Watch] = list(reversed(web.bench.watches()))
    alerts: dict[str, list[AlertView]] = defaultdict(list)
    for view in web.bench.alerts(limit=ALERTS):
        alerts[view.alert.watch_id].append(view)
    unseen = {w.id: sum(1 for a in alerts[w.id] if not a.seen) for w in watches}
    made = web.request.query_params.get("made", "")
    removed = web.request.query_params.get("removed", "")
    filled: dict[str, Any] = {"kind": "", "max_hops": 3, **(form or {})}
    return web.page(
        "watches.html",
        status,
        watches=watches,
        alerts=alerts,
        unseen=unseen,
        per_watch=PER_WATCH,
        made=made,
        removed=removed,
        max_hops=MAX_HOPS,
        error=error,
        form=filled,
    )


def _made(watch: Watch) -> RedirectResponse:
    return RedirectResponse(f"/watches?made={watch.id}#watch-{watch.id}", 303)


@router.get("/watches")
def watches_page(web: Page) -> HTMLResponse:
    return _page(web)


@router.post("/watches/search")
def watch_search(
    web: Page,
    query: Text = "",
    schema_: Annotated[str, Form(alias="schema", max_length=64)] = "",
    dataset: Annotated[str, Form(max_length=200)] = "",
    country: Annotated[str, Form(max_length=16)] = "",
    doc_type: Annotated[str, Form(max_length=64)] = "",
    sender: Annotated[str, Form(max_length=320)] = "",
    recipient: Annotated[str, Form(max_length=320)] = "",
    year: Annotated[str, Form(max_length=8)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    form = {"kind": "search", "query": query, "schema": schema_, "dataset": dataset}
    form.update(country=country, email=email)
    # The document facets of the search page the button was on; only those set are
    # passed, so a watch without them is made as before.
    facets: dict[str, Any] = {
        name: value.strip()
        for name, value in (("doc_type", doc_type), ("sender", sender), ("recipient", recipient))
        if value.strip()
    }
    if year.strip():
        wanted = year_of(year)
        if wanted is None:
            return _page(web, 400, error=f"year: {year.strip()!r} is not a year", form=form)
        facets["year"] = wanted
    try:
        watch = web.bench.watch_search(
            query.strip(),
            schema=schema_.strip() or None,
            dataset=dataset.strip() or None,
            country=country.strip() or None,
            email=email.strip() or None,
            **facets,
        )
    except (ProfilingRefused, WatchError) as refused:
        return _page(web, 400, error=str(refused), form=form)
    return _made(watch)


@router.post("/watches/entity")
def watch_entity(
    web: Page, entity_id: Text = "", email: Annotated[str, Form(max_length=320)] = ""
) -> Response:
    try:
        watch = web.bench.watch_entity(entity_id.strip(), email=email.strip() or None)
    except WatchError as refused:
        form = {"kind": "entity", "entity_id": entity_id, "email": email}
        return _page(web, 400, error=str(refused), form=form)
    return _made(watch)


@router.post("/watches/pair")
def watch_pair(
    web: Page,
    source: Text = "",
    target: Text = "",
    max_hops: Annotated[int, Form(ge=1, le=MAX_HOPS)] = 3,
    email: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    try:
        watch = web.bench.watch_pair(
            source.strip(), target.strip(), max_hops=max_hops, email=email.strip() or None
        )
    except WatchError as refused:
        form = {"kind": "pair", "source": source, "target": target, "max_hops": max_hops}
        return _page(web, 400, error=str(refused), form={**form, "email": email})
    return _made(watch)


@router.post("/watches/{watch_id}/delete")
def unwatch(web: Page, watch_id: str) -> RedirectResponse:
    web.bench.unwatch(watch_id)
    return RedirectResponse("/watches?removed=1", 303)


@router.post("/watches/{watch_id}/seen")
def alerts_seen(web: Page, watch_id: str) -> RedirectResponse:
    web.bench.alerts_seen(watch_id)
    return RedirectResponse(f"/watches#watch-{watch_id}", 303)
