"""threadline: an investigative workbench with provenance, search and link analysis."""

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
