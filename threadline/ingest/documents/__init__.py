"""Documents as evidence: files (PDF, office, text, HTML, e-mail, archives) to FtM
document entities, with their pages, parts, provenance and failures."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from threadline.ingest.documents.blob import hash_file
    from threadline.ingest.documents.failures import FailedDocument, failed_documents
    from threadline.ingest.documents.plan import (
        DOCUMENT_KIND,
        DocumentSpec,
        PageCount,
        already_done,
        document_reader,
    )
    from threadline.ingest.documents.walk import expand_paths

__all__ = [
    "DOCUMENT_KIND",
    "DocumentSpec",
    "FailedDocument",
    "PageCount",
    "already_done",
    "document_reader",
    "expand_paths",
    "failed_documents",
    "hash_file",
]
# Loaded when first asked for: an extraction process (`child`) imports this package
# and needs none of these, nor the store modules they bring in (`failures`), so the
# processes that extract files start with less to import and to hold.
_MODULES = {
    "hash_file": "blob",
    "FailedDocument": "failures",
    "failed_documents": "failures",
    "expand_paths": "walk",
    "DOCUMENT_KIND": "plan",
    "DocumentSpec": "plan",
    "PageCount": "plan",
    "already_done": "plan",
    "document_reader": "plan",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_MODULES[name]}")
    value = getattr(module, name)
    globals()[name] = value
    return value
