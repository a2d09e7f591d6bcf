"""JSON schemas the reconciliation and match answers are validated against, as test code.

The reconciliation API's own schemas (github.com/reconciliation-api/specs, 0.2 and the
1.0 draft) are not copied here: the repository states no licence for those files. These
are written for threadline's tests from the specification's text and schemas, with the
same required fields, types and patterns. The yente shapes follow yente's pydantic
models (yente/data/common.py): EntityMatchResponse and AlgorithmResponse.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs

Schema = dict[str, Any]

_STRING: Schema = {"type": "string"}
_TEMPLATE: Schema = {"type": "string", "pattern": r".*\{\{id\}\}.*"}
TYPE: Schema = {
    "type": "object",
    "properties": {
        "id": _STRING,
        "name": _STRING,
        "description": _STRING,
        "broader": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["id", "name"],
}
_TYPE_REF: Schema = {
    "oneOf": [
        {"type": "object", "properties": {"id": _STRING, "name": _STRING}, "required": ["id"]},
        _STRING,
    ]
}
_SERVICE: Schema = {
    "type": "object",
    "properties": {
        "service_url": _STRING,
        "service_path": _STRING,
        "flyout_service_url": _STRING,
        "flyout_service_path": {"type": "string", "pattern": r".*\$\{id\}.*"},
    },
}
MANIFEST: Schema = {
    "type": "object",
    "properties": {
        "versions": {"type": "array", "items": _STRING, "contains": {"enum": ["0.2"]}},
        "name": _STRING,
        "identifierSpace": _STRING,
        "schemaSpace": _STRING,
        "documentation": _STRING,
        "serviceVersion": _STRING,
        "view": {"type": "object", "properties": {"url": _TEMPLATE}, "required": ["url"]},
        "defaultTypes": {"type": "array", "items": TYPE, "uniqueItems": True},
        "suggest": {
            "type": "object",
            "properties": {"entity": _SERVICE, "property": _SERVICE, "type": _SERVICE},
        },
        "preview": {
            "type": "object",
            "properties": {
                "url": _TEMPLATE,
                "width": {"type": "integer"},
                "height": {"type": "integer"},
            },
            "required": ["url", "width", "height"],
        },
        "extend": {
            "type": "object",
            "properties": {
                "propose_properties": _SERVICE,
                "property_settings": {"type": "array", "items": {"type": "object"}},
            },
        },
    },
    "required": ["versions", "name", "identifierSpace", "schemaSpace"],
}
RESULT_BATCH: Schema = {
    "type": "object",
    "patternProperties": {
        "^.*$": {
            "type": "object",
            "properties": {
                "result": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": _STRING,
                            "name": _STRING,
                            "description": _STRING,
                            "score": {"type": "number"},
                            "match": {"type": "boolean"},
                            "type": {"type": "array", "items": _TYPE_REF},
                            "features": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "id": _STRING,
                                        "value": {
                                            "oneOf": [{"type": "boolean"}, {"type": "number"}]
                                        },
                                    },
                                },
                            },
                        },
                        "required": ["id", "name", "score"],
                    },
                }
            },
            "required": ["result"],
        }
    },
}
_NAMED = {"type": "object", "properties": {"id": _STRING, "name": _STRING, "description": _STRING}}
SUGGEST_ENTITIES: Schema = {
    "type": "object",
    "properties": {
        "result": {
            "type": "array",
            "items": {
                **_NAMED,
                "properties": {
                    **_NAMED["properties"],
                    "notable": {"type": "array", "items": _TYPE_REF},
                },
                "required": ["id", "name"],
            },
        }
    },
    "required": ["result"],
}
SUGGEST_PROPERTIES: Schema = {
    "type": "object",
    "properties": {"result": {"type": "array", "items": {**_NAMED, "required": ["id", "name"]}}},
    "required": ["result"],
}
SUGGEST_TYPES: Schema = {
    "type": "object",
    "properties": {"result": {"type": "array", "items": TYPE}},
    "required": ["result"],
}
_CELL: Schema = {
    "oneOf": [
        {"type": "object", "additionalProperties": False},
        {
            "type": "object",
            "properties": {"id": _STRING, "name": _STRING, "description": _STRING},
            "required": ["id", "name"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"str": _STRING},
            "required": ["str"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"float": {"type": "number"}},
            "required": ["float"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"int": {"type": "integer"}},
            "required": ["int"],
            "additionalProperties": False,
        },
    ]
}
EXTENSION: Schema = {
    "type": "object",
    "properties": {
        "meta": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": _STRING, "name": _STRING},
                "required": ["id", "name"],
            },
        },
        "rows": {
            "type": "object",
            "patternProperties": {
                ".*": {
                    "type": "object",
                    "patternProperties": {".*": {"type": "array", "items": _CELL}},
                }
            },
        },
    },
    "required": ["rows", "meta"],
}
PROPOSAL: Schema = {  # the 1.0 draft's data extension property proposal
    "type": "object",
    "properties": {
        "properties": {"type": "array", "items": {**_NAMED, "required": ["id", "name"]}},
        "type": _STRING,
        "limit": {"type": "number"},
    },
    "required": ["properties"],
}

# yente's shapes.
_NULLABLE_STRING: Schema = {"type": ["string", "null"]}
_FEATURE_RESULT: Schema = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "detail": _NULLABLE_STRING,
        "query": _NULLABLE_STRING,
        "candidate": _NULLABLE_STRING,
    },
    "required": ["score", "detail"],
}
_SCORED: Schema = {
    "type": "object",
    "properties": {
        "id": _STRING,
        "caption": _STRING,
        "schema": _STRING,
        "properties": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": _STRING},
        },
        "datasets": {"type": "array", "items": _STRING},
        "referents": {"type": "array", "items": _STRING},
        "target": {"type": "boolean"},
        "first_seen": _NULLABLE_STRING,
        "last_seen": _NULLABLE_STRING,
        "last_change": _NULLABLE_STRING,
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "features": {"type": "object", "additionalProperties": {"type": "number"}},
        "explanations": {"type": "object", "additionalProperties": _FEATURE_RESULT},
        "match": {"type": "boolean"},
    },
    "required": [
        "id",
        "caption",
        "schema",
        "properties",
        "datasets",
        "referents",
        "target",
        "score",
        "features",
        "match",
    ],
}
_FEATURE_DOCS: Schema = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "properties": {
            "description": _NULLABLE_STRING,
            "coefficient": {"type": "number"},
            "url": _STRING,
        },
        "required": ["description", "coefficient", "url"],
    },
}
MATCH_RESPONSE: Schema = {
    "type": "object",
    "properties": {
        "responses": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "status": {"type": "integer"},
                    "results": {"type": "array", "items": _SCORED},
                    "total": {
                        "type": "object",
                        "properties": {"value": {"type": "integer"}, "relation": _STRING},
                        "required": ["value", "relation"],
                    },
                    "query": {
                        "type": "object",
                        "properties": {
                            "id": _NULLABLE_STRING,
                            "schema": _STRING,
                            "properties": {"type": "object"},
                        },
                        "required": ["schema", "properties"],
                    },
                },
                "required": ["status", "results", "total", "query"],
            },
        },
        "matcher": _FEATURE_DOCS,
        "limit": {"type": "integer"},
    },
    "required": ["responses", "matcher", "limit"],
}
ALGORITHMS: Schema = {
    "type": "object",
    "properties": {
        "algorithms": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": _STRING,
                    "description": _NULLABLE_STRING,
                    "features": _FEATURE_DOCS,
                },
                "required": ["name", "features"],
            },
        },
        "default": _STRING,
        "best": _STRING,
    },
    "required": ["algorithms", "default", "best"],
}


def check(schema: Schema, instance: Any) -> Any:
    """`instance`, after checking it against `schema` (a ValidationError if it fails)."""
    jsonschema_rs.validate(schema, instance)
    return instance


# The 1.0 draft's result batch: one {"candidates": [...]} per query, in query order.
LISTED_RESULTS: Schema = {
    "type": "object",
    "properties": {
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "candidates": RESULT_BATCH["patternProperties"]["^.*$"]["properties"]["result"]
                },
                "required": ["candidates"],
            },
        }
    },
    "required": ["results"],
}
