"""threadline: an investigative workbench with provenance, search and link analysis."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from threadline.app.workbench import Workbench
    from threadline.errors import (
        ConfigError,
        IngestAborted,
        InputError,
        MappingError,
        NotFoundError,
        ThreadlineError,
    )
    from threadline.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "IngestAborted",
    "InputError",
    "MappingError",
    "NotFoundError",
    "Settings",
    "ThreadlineError",
    "Workbench",
    "__version__",
]
# Loaded when first asked for: every `threadline.*` import runs this module first, and
# a process that needs one corner of the package (a document extraction process, a
# worker) should not import the workbench, the store and the search index with it.
_MODULES = {
    "Workbench": "threadline.app.workbench",
    "Settings": "threadline.settings",
    "ConfigError": "threadline.errors",
    "IngestAborted": "threadline.errors",
    "InputError": "threadline.errors",
    "MappingError": "threadline.errors",
    "NotFoundError": "threadline.errors",
    "ThreadlineError": "threadline.errors",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
