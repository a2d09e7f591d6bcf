"""Documents as evidence: files (PDF, office, text, HTML, e-mail, archives) to FtM
document entities, with their pages, parts, provenance and failures."""

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
