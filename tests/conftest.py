"""Shared fixtures: a real Workbench (SQLite store, tantivy index) in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from threadline.workbench import Workbench


def write_entities(path: Path, entities: list[dict[str, Any]]) -> Path:
    """Write FtM entities as JSON lines."""
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entities))
    return path


def entity(entity_id: str, schema: str, **props: Any) -> dict[str, Any]:
    """An FtM entity dict; property values may be strings or lists."""
    properties = {k: v if isinstance(v, list) else [v] for k, v in props.items()}
    return {"id": entity_id, "schema": schema, "properties": properties}


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Workbench]:
    """An empty workbench with its own data directory."""
    with Workbench(data_dir=tmp_path / "data") as workbench:
        yield workbench
