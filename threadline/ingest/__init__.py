"""Ingest: files in, statements with provenance out. One module per source kind."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from threadline.ingest.pipeline import FileReport, IngestOptions, Plan, plan_file, run_plan

__all__ = ["FileReport", "IngestOptions", "Plan", "plan_file", "run_plan"]
# Loaded when first asked for: the pipeline brings in the store and every source
# kind, which a process importing one module of this package (a document extraction
# process: `documents.child`) does not need.
_PIPELINE = "threadline.ingest.pipeline"


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_PIPELINE), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
