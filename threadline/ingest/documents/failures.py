"""Failed documents, read back from the store: `processingStatus=failure` statements,
and `partial` ones (read, but some of their pages could not be)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from threadline.ingest.documents.entities import FAILURE, PARTIAL
from threadline.store.base import LightRow

# The properties a failure listing reads (nothing else of the store is scanned).
PROPS = ("processingStatus", "processingError", "fileName")


@dataclass(frozen=True)
class FailedDocument:
    """A document that could not be extracted: where it is and why."""

    entity_id: str
    schema: str
    dataset: str
    file_names: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # "failure", or "partial": read, but with pages that failed (named in `errors`)
    status: str = "failure"


def failed_documents(
    batches: Iterable[list[LightRow]], wanted: Callable[[str], bool]
) -> list[FailedDocument]:
    """The failed and partial documents among the rows, in datasets `wanted` says yes
    to; in entity id order (the batches' order), one per entity and dataset."""
    found: dict[tuple[str, str], dict[str, list[str]]] = {}
    schemata: dict[str, str] = {}
    for batch in batches:
        for entity_id, schema, prop, _, value, dataset in batch:
            if not wanted(dataset):
                continue
            values = found.setdefault((entity_id, dataset), {}).setdefault(prop, [])
            if value not in values:
                values.append(value)
            schemata.setdefault(entity_id, schema)
    listed = []
    for (entity_id, dataset), props in found.items():
        statuses = props.get("processingStatus", [])
        if FAILURE not in statuses and PARTIAL not in statuses:
            continue
        listed.append(
            FailedDocument(
                entity_id=entity_id,
                schema=schemata[entity_id],
                dataset=dataset,
                file_names=props.get("fileName", []),
                errors=props.get("processingError", []),
                status=FAILURE if FAILURE in statuses else PARTIAL,
            )
        )
    return listed
