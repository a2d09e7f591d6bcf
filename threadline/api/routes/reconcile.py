"""An OpenRefine reconciliation service (API 0.2, with the 1.0 draft's sub-routes) at
`/api/v1/reconcile`: the manifest, queries (`queries=` by GET or as a POST form field),
data extension (`extend=`, and `/extend`), property proposals, suggest for entities,
types and properties, and an HTML preview.

Queries are scored by `Workbench.match` (the resolver's features, as `explain` shows
them), one audited consultation per query; extension and preview read entities with
`Workbench.entity`, audited the same way. Every route is open to other origins
(`crossorigin`); only the manifest, types and properties (no data) need no caller.
"""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from followthemoney.schema import Schema

from threadline.api.crossorigin import OpenBench, open_caller
from threadline.api.deps import context_for
from threadline.api.errors import responses
from threadline.api.schemas.conditions import ListedQuery, is_listed, parse_listed
from threadline.api.schemas.reconcile import (
    DEFAULT_TYPE,
    Candidates,
    manifest,
    meta,
    parse_extend,
    parse_queries,
    prop_ref,
    properties_of,
    query_batch,
    type_ref,
    types,
)
from threadline.api.state import server
from threadline.app.verbs.matching import MAX_LIMIT as MATCH_LIMIT
from threadline.app.verbs.suggest import MAX_LIMIT, MIN_CHARS
from threadline.app.workbench import Workbench
from threadline.errors import NotFoundError
from threadline.model.schema import get_schema

router = APIRouter(prefix="/reconcile", tags=["reconcile"], responses=responses())

BATCH = 1_000_000  # characters of one `queries` or `extend` form field
URL_BATCH = 6_000  # in a URL, which servers and proxies cap at a few kilobytes: POST more
Batch = Annotated[str | None, Query(max_length=URL_BATCH)]
FormBatch = Annotated[str | None, Form(max_length=BATCH)]
TypeName = Annotated[str | None, Query(max_length=64, description="A schema, e.g. Person")]


@router.get("", response_model=None)
async def service(request: Request, queries: Batch = None, extend: Batch = None) -> dict[str, Any]:
    """Without parameters, the service manifest; with `queries` (a JSON object of
    reconciliation queries) their candidates; with `extend` the property values."""
    return await _answer(request, queries, extend)


@router.post("", response_model=None)
async def service_form(
    request: Request, queries: FormBatch = None, extend: FormBatch = None
) -> dict[str, Any]:
    """The same, with `queries` or `extend` as form fields (what OpenRefine sends), or
    a 1.0 batch (`{"queries": [...]}`) as a JSON body. A POST always needs a caller
    (and a session's CSRF token), even for the manifest."""
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        if len(body) > BATCH:
            raise ValueError(f"queries: at most {BATCH:,} bytes in one batch")
        queries = body.decode("utf-8", errors="replace")
    return await _answer(request, queries, extend, posted=True)


async def _answer(
    request: Request, queries: str | None, extend: str | None, posted: bool = False
) -> dict[str, Any]:
    root = str(request.base_url).rstrip("/")  # with the root path behind a proxy
    asks = queries is not None or extend is not None
    if not (asks or posted):
        return manifest(root, f"{root}/api/v1")
    who = await open_caller(request)
    if not asks:
        return manifest(root, f"{root}/api/v1")
    bench = server(request).bench.acting(context_for(request, who))
    if queries is not None:
        return await run_in_threadpool(_reconcile, bench, queries)
    return await run_in_threadpool(_extend, bench, str(extend))


def _reconcile(bench: Workbench, raw: str) -> dict[str, Any]:
    batch = query_batch(raw)
    if is_listed(batch):
        return _reconcile_listed(bench, parse_listed(batch))
    queries, limits = parse_queries(raw)
    results = bench.match(queries, limit=max(limits.values()))
    return {
        key: Candidates.of(result, limits[key]).model_dump(mode="json")
        for key, result in results.items()
    }


def _reconcile_listed(bench: Workbench, listed: list[ListedQuery]) -> dict[str, Any]:
    """A 1.0 batch: candidates in the order of the queries. Where a condition is
    required, more candidates are scored so that the filter leaves enough."""
    queries = {str(n): q.match for n, q in enumerate(listed)}
    wanted = max(MATCH_LIMIT if q.required else q.limit for q in listed)
    results = bench.match(queries, limit=wanted)
    return {"results": [q.answer(results[str(n)]) for n, q in enumerate(listed)]}


def _extend(bench: Workbench, raw: str) -> dict[str, Any]:
    ids, props = parse_extend(raw)
    rows: dict[str, dict[str, list[dict[str, str]]]] = {}
    for entity_id in ids:
        try:
            proxy = bench.entity(entity_id).entity.proxy
        except NotFoundError:  # or not readable: the same answer, nothing
            rows[entity_id] = {p: [] for p in props}
            continue
        rows[entity_id] = {
            p: [{"str": v} for v in proxy.get(p, quiet=True)]
            if p in proxy.schema.properties
            else []
            for p in props
        }
    return {"meta": meta(props), "rows": rows}


@router.get("/extend", response_model=None)
async def extend_get(request: Request, extend: Batch = None) -> dict[str, Any]:
    """Data extension (the 1.0 draft's route): `extend` as above."""
    return await _answer(request, None, extend or "")


@router.post("/extend", response_model=None)
async def extend_form(request: Request, extend: FormBatch = None) -> dict[str, Any]:
    """Data extension, `extend` as a form field."""
    return await _answer(request, None, extend or "", posted=True)


@router.get("/extend/propose")
def propose(
    type: Annotated[str, Query(max_length=64, description="A schema, e.g. Company")],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Properties to fetch for entities of a type (no data is read)."""
    schema = _type(type)
    found = [prop_ref(p) for p in properties_of(schema)][:limit]
    return {"type": schema.name, "properties": found, "limit": limit}


def _type(name: str | None) -> Schema:
    try:
        return get_schema(name or DEFAULT_TYPE)
    except ValueError:
        raise ValueError(f"type: no followthemoney schema named {name!r}") from None


@router.get("/suggest/entity")
def suggest_entity(
    bench: OpenBench,
    prefix: Annotated[str, Query(max_length=200)] = "",
    type: TypeName = None,
    cursor: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> dict[str, Any]:
    """Entities the caller may read whose names start like `prefix`
    (`Workbench.suggest`, audited as a consultation); none below two characters."""
    if len(prefix.strip()) < MIN_CHARS:
        return {"result": []}
    schema = _type(type).name if type else None
    found = bench.suggest(prefix, schema=schema, limit=min(cursor + 10, MAX_LIMIT))
    return {
        "result": [
            {
                "id": hit.id,
                "name": hit.caption,
                "description": ", ".join(hit.datasets),
                "notable": [type_ref(get_schema(hit.schema))],
            }
            for hit in found.hits[cursor:]
        ]
    }


@router.get("/suggest/type")
def suggest_type(prefix: Annotated[str, Query(max_length=200)] = "") -> dict[str, Any]:
    """The types (schemata) a query may name, by prefix of their name or label."""
    text = prefix.strip().lower()
    found = [s for s in types() if s.name.lower().startswith(text) or text in s.label.lower()]
    return {"result": [type_ref(s) for s in found]}


@router.get("/suggest/property")
def suggest_property(
    prefix: Annotated[str, Query(max_length=200)] = "", type: TypeName = None
) -> dict[str, Any]:
    """A type's properties (`pid` is the followthemoney property name), by prefix."""
    text = prefix.strip().lower()
    found = [
        p
        for p in properties_of(_type(type))
        if p.name.lower().startswith(text) or text in p.label.lower()
    ]
    return {"result": [prop_ref(p) for p in found]}


PREVIEW: dict[int | str, dict[str, Any]] = {
    200: {"description": "A small HTML card of the entity", "content": {"text/html": {}}}
}


@router.get("/preview", response_class=Response, responses=PREVIEW)
def preview(
    bench: OpenBench, id: Annotated[str, Query(min_length=1, max_length=200)]
) -> HTMLResponse:
    """A small HTML card of one entity the caller may read (every value escaped)."""
    entity = bench.entity(id).entity
    proxy = entity.proxy
    shown = [p for p in properties_of(proxy.schema) if proxy.get(p)][:8]
    rows = "".join(
        f"<dt>{html.escape(p.label)}</dt><dd>{html.escape('; '.join(proxy.get(p)[:5]))}</dd>"
        for p in shown
    )
    body = (
        '<!doctype html><meta charset="utf-8">'
        '<div style="font:13px/1.4 sans-serif;margin:6px">'
        f"<strong>{html.escape(entity.caption)}</strong> "
        f"<small>{html.escape(entity.schema.label)}</small>"
        f'<dl style="margin:6px 0">{rows}</dl>'
        f"<small>{html.escape(', '.join(entity.datasets))}</small></div>"
    )
    # The values are data: no script, no remote content; any page may frame the card.
    policy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *"
    return HTMLResponse(body, headers={"Content-Security-Policy": policy})
