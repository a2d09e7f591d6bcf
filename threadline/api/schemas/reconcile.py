"""Wire forms of the OpenRefine reconciliation API (0.2, with the 1.0 draft's routes):
reconciliation queries to match queries, candidates from match results, and the
manifest, suggest, extend and propose answers.

Types are followthemoney schemata (`Person`, `Company`...); property ids (`pid`) are
followthemoney property names. A candidate's `features` are the resolver's feature
weights for the pair (log2 Bayes factors, as `explain` shows them), its `score` the
pair's probability in percent, and `match` is true from the merge threshold up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from followthemoney import model
from followthemoney.property import Property
from followthemoney.schema import Schema
from followthemoney.types import registry
from pydantic import Field

from threadline import __version__
from threadline.api.schemas.wire import Wire
from threadline.app.verbs.matching import MAX_LIMIT, MAX_QUERIES, MatchCandidate, MatchResult
from threadline.model.schema import get_schema
from threadline.resolve.extract import MATCHED_SCHEMATA

DEFAULT_TYPE = "LegalEntity"  # a query without a type: a person or an organisation
DEFAULT_TYPES = ("LegalEntity", "Person", "Company", "Organization")
DEFAULT_LIMIT = 5
SCHEMA_SPACE = "https://followthemoney.tech/explorer/schemata/"


def types() -> list[Schema]:
    """The schemata a query may name: those resolution compares."""
    return sorted((get_schema(n) for n in MATCHED_SCHEMATA), key=lambda s: s.name)


def type_ref(schema: Schema) -> dict[str, str]:
    return {"id": schema.name, "name": schema.label}


def _json(raw: str, field: str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ValueError(f"{field}: not valid JSON") from None


def query_value(item: Any, where: str) -> str:
    if isinstance(item, dict):
        found = item.get("name") or item.get("id")
        if not isinstance(found, str):
            raise ValueError(f"{where}: an entity value needs an id or a name")
        return found
    if isinstance(item, str | int | float) and not isinstance(item, bool):
        return str(item)
    raise ValueError(f"{where}: values are strings, numbers or {{id, name}} objects")


def type_of(raw: Any, where: str) -> Schema:
    names = raw if isinstance(raw, list) else [raw]
    for name in names:
        schema = model.get(name) if isinstance(name, str) else None
        if schema is not None and any(schema.is_a(m) for m in MATCHED_SCHEMATA):
            return schema
    allowed = ", ".join(s.name for s in types())
    raise ValueError(f"{where}.type: use one of {allowed}")


def query_batch(raw: str) -> Any:
    """A `queries` batch as JSON (either form: 0.2's object by key, 1.0's list)."""
    return _json(raw, "queries")


def parse_queries(raw: str) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """The match queries of a `queries` batch, and each query's limit; a ValueError
    names the field at fault."""
    batch = _json(raw, "queries")
    if not isinstance(batch, dict) or not batch:
        raise ValueError("queries: an object of queries, by key")
    if len(batch) > MAX_QUERIES:
        raise ValueError(f"queries: at most {MAX_QUERIES} in one batch")
    queries: dict[str, dict[str, Any]] = {}
    limits: dict[str, int] = {}
    for key, query in batch.items():
        where = f"queries.{key}"
        if not isinstance(query, dict):
            raise ValueError(f"{where}: must be an object")
        schema = type_of(query.get("type", DEFAULT_TYPE), where)
        values: dict[str, list[str]] = {}
        text = query.get("query")
        if text is not None:
            if not isinstance(text, str):
                raise ValueError(f"{where}.query: must be a string")
            values.setdefault("name", []).append(text)
        conditions = query.get("properties") or []
        if not isinstance(conditions, list):
            raise ValueError(f"{where}.properties: a list of {{pid, v}} objects")
        for n, condition in enumerate(conditions):
            at = f"{where}.properties[{n}]"
            pid = condition.get("pid") if isinstance(condition, dict) else None
            if not isinstance(pid, str) or schema.get(pid) is None:
                raise ValueError(f"{at}.pid: {schema.name} has no property {pid!r}")
            found = condition.get("v")
            items = found if isinstance(found, list) else [found]
            values.setdefault(pid, []).extend(query_value(v, f"{at}.v") for v in items)
        if not any(v.strip() for vs in values.values() for v in vs):
            raise ValueError(f"{where}: give a query or properties")
        limit = query.get("limit", DEFAULT_LIMIT)
        if not isinstance(limit, int | float) or not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"{where}.limit: between 1 and {MAX_LIMIT}")
        queries[str(key)] = {"schema": schema.name, "properties": values}
        limits[str(key)] = int(limit)
    return queries, limits


class Feature(Wire):
    id: str
    value: float


class Candidate(Wire):
    """A reconciliation candidate."""

    id: str
    name: str
    description: str
    score: float = Field(description="The pair's probability, in percent.")
    match: bool
    type: list[dict[str, str]]
    features: list[Feature]

    @classmethod
    def of(cls, found: MatchCandidate) -> Candidate:
        entity = found.entity
        return cls(
            id=entity.id,
            name=entity.caption,
            description=f"{entity.schema.label} · {', '.join(entity.datasets)}",
            score=round(found.scored.probability * 100, 2),
            match=found.match,
            type=[type_ref(entity.schema)],
            features=[Feature(id=f.name, value=f.weight) for f in found.scored.informative],
        )


class Candidates(Wire):
    result: list[Candidate]

    @classmethod
    def of(cls, result: MatchResult, limit: int) -> Candidates:
        return cls(result=[Candidate.of(c) for c in result.results[:limit]])


def manifest(root: str, api: str) -> dict[str, Any]:
    """The service manifest: `root` is the server's URL, `api` the JSON API's."""
    service = f"{api}/reconcile"
    return {
        "versions": ["0.2", "1.0-draft"],
        "name": "threadline",
        "identifierSpace": f"{root}/entities/",
        "schemaSpace": SCHEMA_SPACE,
        "serviceVersion": __version__,
        "documentation": f"{root}/docs#/reconcile",
        "view": {"url": f"{root}/entities/{{{{id}}}}"},
        "preview": {"url": f"{service}/preview?id={{{{id}}}}", "width": 400, "height": 240},
        "defaultTypes": [type_ref(get_schema(n)) for n in DEFAULT_TYPES],
        "suggest": {
            kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/extend/propose"},
            "property_settings": [],
        },
        "batchSize": MAX_QUERIES,
    }


def properties_of(schema: Schema) -> list[Property]:
    """A schema's visible, non-entity properties, the featured ones first."""
    featured = [schema.get(n) for n in schema.featured]
    rest = sorted(schema.properties.values(), key=lambda p: p.label)
    return [
        p
        for p in dict.fromkeys([*featured, *rest])
        if p is not None and not p.hidden and not p.stub and p.type != registry.entity
    ]


def prop_ref(prop: Property) -> dict[str, str]:
    return {"id": prop.name, "name": prop.label, "description": prop.description or prop.label}


def parse_extend(raw: str) -> tuple[list[str], list[str]]:
    """The ids and property names of an `extend` query."""
    query = _json(raw, "extend")
    if not isinstance(query, dict):
        raise ValueError("extend: an object with ids and properties")
    ids, props = query.get("ids"), query.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ValueError("extend.ids: a list of entity ids")
    if len(ids) > MAX_QUERIES:
        raise ValueError(f"extend.ids: at most {MAX_QUERIES}")
    if not isinstance(props, list) or not props:
        raise ValueError("extend.properties: a list of {id} objects")
    names = []
    for n, prop in enumerate(props):
        name = prop.get("id") if isinstance(prop, dict) else None
        if not isinstance(name, str) or not _known(name):
            raise ValueError(f"extend.properties[{n}].id: no followthemoney property {name!r}")
        names.append(name)
    return list(dict.fromkeys(ids)), names


def _known(name: str) -> bool:
    return any(name in s.properties for s in model.schemata.values())


def meta(names: Iterable[str]) -> list[dict[str, str]]:
    """The `meta` of an extend answer: each property's id and label."""
    found = []
    for name in names:
        label = next((s.properties[name].label for s in types() if name in s.properties), name)
        found.append({"id": name, "name": label})
    return found
