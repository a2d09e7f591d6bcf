"""The graph explorer: start from an entity, expand neighbours, find the k best paths,
filter links by type and time, save the chart into a case. The page carries its first
neighbourhood (and any paths) as JSON data, in the JSON API's own format; the bundled
script (threadline/web/js, built into static/vendor) draws it with Cytoscape.js and
fetches more from `GET /api/v1/graph/neighbours`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from threadline.api.schemas import PathsOut, SubgraphOut
from threadline.api.schemas.wire import Wire
from threadline.app.verbs.graph import view_builds
from threadline.errors import ThreadlineError
from threadline.web.render import number
from threadline.web.visitor import Page

router = APIRouter(include_in_schema=False)
FIRST_LIMIT = 150  # nodes of the first neighbourhood
MAX_HOPS = 6
K_DEFAULT, K_MAX = 5, 20
BUNDLE = Path(__file__).parents[1] / "static" / "vendor" / "graph.bundle.js"

Types = Annotated[list[str] | None, Query()]


def _json(model: Wire) -> dict[str, Any]:
    """A result as the JSON API sends it, so the script reads one format."""
    found: dict[str, Any] = model.model_dump(mode="json", by_alias=True)
    return found


def path_count(value: str) -> int:
    """The form's `k`: how many paths, 1 to 20 (5 when left empty)."""
    if not value.strip():
        return K_DEFAULT
    try:
        k = int(value)
    except ValueError:
        k = 0
    if not 1 <= k <= K_MAX:
        raise ValueError(f"k: how many paths must be a whole number from 1 to {K_MAX}")
    return k


@router.get("/graph")
def graph_page(
    web: Page,
    entity_id: str = "",
    target: str = "",
    types: Types = None,
    hops: str = "",
    k: str = "",
) -> HTMLResponse:
    chosen = [t for t in types or [] if t]
    only = chosen or None
    start = None
    data: dict[str, Any] = {"start": None, "nodes": [], "edges": [], "paths": [], "types": chosen}
    paths = None
    path_problem = None
    max_hops = number(hops, 4, 1, MAX_HOPS)
    # A large stale view is built by a job worker, not in this request: 503 meanwhile.
    bench = view_builds(web.bench, background=True)
    if entity_id:
        sub = bench.graph_neighbours(entity_id, limit=FIRST_LIMIT, types=only)
        start = next((n for n in sub.nodes if sub.depth.get(n.id) == 0), None)
        data.update(_json(SubgraphOut.of(sub)), start=start.id if start else entity_id)
        if target:
            try:
                wanted = path_count(k)
                paths = bench.graph_path(entity_id, target, max_hops=max_hops, k=wanted, types=only)
                data["paths"] = _json(PathsOut.of(paths))["paths"]
            except (ThreadlineError, ValueError) as error:
                path_problem = str(error)
    # The target by name, for the heading and the picker: the end of any path found.
    end = paths.paths[0].nodes[-1] if paths and paths.paths else None
    known = sorted({e["type"] for e in data["edges"]} | set(chosen))
    return web.page(
        "graph.html",
        entity_id=entity_id,
        target=target,
        start=start,
        end=end,
        data=data,
        paths=paths,
        path_problem=path_problem,
        known_types=known,
        chosen=chosen,
        hops=max_hops,
        k=k.strip() or str(K_DEFAULT),
        k_max=K_MAX,
        bundle=BUNDLE.exists(),
        nodes=data["nodes"],
    )
