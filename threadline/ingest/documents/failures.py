"""Failed documents, read back from the store: `processingStatus=failure` statements."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

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


def failed_documents(
    batches: Iterable[list[LightRow]], wanted: Callable[[str], bool]
) -> list[FailedDocument]:
    """The failed documents among the rows, in datasets `wanted` says yes to; in entity
    id order (the batches' order), one per entity and dataset."""
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
    return [
        FailedDocument(
            entity_id=entity_id,
            schema=schemata[entity_id],
            dataset=dataset,
            file_names=props.get("fileName", []),
            errors=props.get("processingError", []),
        )
        for (entity_id, dataset), props in found.items()
        if "failure" in props.get("processingStatus", [])
    ]
