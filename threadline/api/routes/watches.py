"""Watches and alerts: watch a saved search, an entity or a pair; list and remove
watches; read alerts; evaluate now. The caller owns the watches they make, and sees
only their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from threadline.api.deps import Bench
from threadline.api.errors import responses
from threadline.api.schemas.watches import (
    AlertOut,
    AlertsSeenOut,
    EntityWatchIn,
    EvaluationOut,
    PairWatchIn,
    SearchWatchIn,
    WatchOut,
)

router = APIRouter(tags=["watches"], responses=responses())
WatchId = Annotated[str, Path(min_length=1, max_length=32)]


@router.post("/watches/search", response_model=WatchOut, status_code=201)
def watch_search(bench: Bench, body: SearchWatchIn) -> WatchOut:
    """`Workbench.watch_search(query, schema=, dataset=, country=, doc_type=, sender=,
    recipient=, year=, email=, webhook=)`; a query that profiles people is refused (400)."""
    watch = bench.watch_search(
        body.query,
        schema=body.schema_,
        dataset=body.dataset,
        country=body.country,
        doc_type=body.doc_type,
        sender=body.sender,
        recipient=body.recipient,
        year=body.year,
        email=body.email,
        webhook=body.webhook,
    )
    return WatchOut.of(watch)


@router.post("/watches/entity", response_model=WatchOut, status_code=201)
def watch_entity(bench: Bench, body: EntityWatchIn) -> WatchOut:
    """`Workbench.watch_entity(entity_id, email=, webhook=)`."""
    return WatchOut.of(bench.watch_entity(body.entity_id, email=body.email, webhook=body.webhook))


@router.post("/watches/pair", response_model=WatchOut, status_code=201)
def watch_pair(bench: Bench, body: PairWatchIn) -> WatchOut:
    """`Workbench.watch_pair(source, target, max_hops=, email=, webhook=)`."""
    watch = bench.watch_pair(
        body.source, body.target, max_hops=body.max_hops, email=body.email, webhook=body.webhook
    )
    return WatchOut.of(watch)


@router.get("/watches", response_model=list[WatchOut])
def watches(bench: Bench) -> list[WatchOut]:
    """`Workbench.watches()`: the caller's watches."""
    return [WatchOut.of(w) for w in bench.watches()]


@router.delete("/watches/{watch_id}", status_code=204, response_class=Response)
def unwatch(bench: Bench, watch_id: WatchId) -> Response:
    """`Workbench.unwatch(watch_id)`: stop a watch; its alerts go with it."""
    bench.unwatch(watch_id)
    return Response(status_code=204)


@router.post("/watches/{watch_id}/seen", response_model=AlertsSeenOut)
def alerts_seen(bench: Bench, watch_id: WatchId) -> AlertsSeenOut:
    """`Workbench.alerts_seen(watch_id)`: mark a watch's alerts seen."""
    return AlertsSeenOut(marked=bench.alerts_seen(watch_id))


@router.post("/watches/evaluate", response_model=EvaluationOut)
def evaluate_watches(bench: Bench) -> EvaluationOut:
    """`Workbench.evaluate_watches()`: evaluate now and retry unsent alerts."""
    return EvaluationOut.of(bench.evaluate_watches())


@router.get("/alerts", response_model=list[AlertOut])
def alerts(
    bench: Bench,
    watch_id: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AlertOut]:
    """`Workbench.alerts(watch_id=, limit=)`: the caller's alerts, newest first."""
    return [AlertOut.of(a) for a in bench.alerts(watch_id, limit)]
