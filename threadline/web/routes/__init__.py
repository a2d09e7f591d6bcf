"""The page routers, one module per screen; none of them is part of the OpenAPI schema."""

from __future__ import annotations

from fastapi import APIRouter

from threadline.web.routes import (
    audit,
    cases,
    documents,
    entity,
    graph,
    ingest,
    review,
    screen,
    search,
    signin,
    tips,
    watches,
)

ROUTERS: list[APIRouter] = [
    signin.router,
    search.router,
    entity.router,
    documents.router,
    graph.router,
    review.router,
    cases.router,
    audit.router,
    ingest.router,
    screen.router,
    tips.router,
    watches.router,
]
