"""The base of every wire model, and the error body."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Wire(BaseModel):
    """A wire model; `schema_` goes out as `schema` (a name BaseModel itself uses)."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)


class Problem(Wire):
    """An error: a message, or (422) the fields that failed validation."""

    detail: str | list[dict[str, Any]]
